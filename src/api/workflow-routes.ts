import type { Hono } from 'hono';
import { type Engine, validateWithAslValidator } from '../engine/runtime/index.js';
import { NotFound } from '../store/index.js';
import { definitionText, intQuery, jsonBody, optionalString, requiredString } from './body.js';
import { BadRequest } from './errors.js';
import { executionView, stateMachineView } from './shapes.js';

const STATUSES = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

/** State machines, executions and task callbacks: the engine's operations over HTTP (see docs/api.md). */
export function workflowRoutes(app: Hono, engine: Engine): void {
  app.post('/v1/state-machines/validate', async (c) => {
    const body = await jsonBody(c);
    let definition: unknown;
    try {
      definition = JSON.parse(definitionText(body));
    } catch (error) {
      throw new BadRequest(`"definition" is not valid JSON: ${(error as Error).message}`);
    }
    const problems = validateWithAslValidator(definition);
    return c.json({ valid: problems.length === 0, problems });
  });

  app.post('/v1/state-machines', async (c) => {
    const body = await jsonBody(c);
    const record = await engine.createStateMachine(requiredString(body, 'name'), definitionText(body));
    return c.json(stateMachineView(record, false), 201);
  });

  app.put('/v1/state-machines/:name', async (c) => {
    const record = await engine.updateStateMachine(c.req.param('name'), definitionText(await jsonBody(c)));
    return c.json(stateMachineView(record, false));
  });

  app.get('/v1/state-machines', async (c) => {
    const machines = await engine.store.listStateMachines();
    return c.json({ stateMachines: machines.map((m) => stateMachineView(m, false)) });
  });

  app.get('/v1/state-machines/:name', async (c) => {
    const record = await engine.store.getStateMachine(c.req.param('name'));
    if (!record) throw new NotFound(`state machine "${c.req.param('name')}"`);
    return c.json(stateMachineView(record, true));
  });

  app.delete('/v1/state-machines/:name', async (c) => {
    await engine.store.deleteStateMachine(c.req.param('name'));
    return c.body(null, 204);
  });

  app.post('/v1/executions', async (c) => {
    const body = await jsonBody(c);
    const name = optionalString(body, 'name');
    const record = await engine.startExecution({
      stateMachineName: requiredString(body, 'stateMachineName'),
      input: body.input ?? {},
      ...(name !== undefined && { name }),
    });
    return c.json(executionView(record), 201);
  });

  app.get('/v1/executions', async (c) => {
    const status = c.req.query('status');
    if (status !== undefined && !STATUSES.has(status)) {
      throw new BadRequest(`query parameter "status" must be one of ${[...STATUSES].join(', ')} (got "${status}")`);
    }
    const stateMachineName = c.req.query('stateMachine');
    const records = await engine.listExecutions({
      limit: intQuery(c, 'limit', 100, 1000),
      ...(stateMachineName !== undefined && { stateMachineName }),
      ...(status !== undefined && { status: status as 'RUNNING' }),
    });
    return c.json({ executions: records.map(executionView) });
  });

  app.get('/v1/executions/:id', async (c) => c.json(executionView(await engine.describeExecution(c.req.param('id')))));

  app.get('/v1/executions/:id/history', async (c) => {
    const events = await engine.history(c.req.param('id'));
    return c.json({
      events: events.map((e, i) => ({ ...e, id: i + 1, timestamp: new Date(e.timestamp).toISOString() })),
    });
  });

  /** Long poll: answers when the execution has ended, or with its current state after `timeout` ms (max 60 s). */
  app.get('/v1/executions/:id/wait', async (c) => {
    const id = c.req.param('id');
    const timeout = intQuery(c, 'timeout', 30_000, 60_000);
    const record = await engine.waitForExecution(id, timeout).catch(async (error: unknown) => {
      if (error instanceof NotFound) throw error;
      return engine.describeExecution(id);
    });
    return c.json(executionView(record));
  });

  app.post('/v1/executions/:id/stop', async (c) => {
    const body = await jsonBody(c);
    const record = await engine.stopExecution(
      c.req.param('id'),
      optionalString(body, 'error') ?? 'States.Aborted',
      optionalString(body, 'cause') ?? 'stopped by request',
    );
    return c.json(executionView(record));
  });

  app.post('/v1/tasks/success', async (c) => {
    const body = await jsonBody(c);
    await engine.sendTaskSuccess(requiredString(body, 'taskToken'), body.output ?? null);
    return c.json({ accepted: true });
  });

  app.post('/v1/tasks/failure', async (c) => {
    const body = await jsonBody(c);
    await engine.sendTaskFailure(
      requiredString(body, 'taskToken'),
      optionalString(body, 'error') ?? 'States.TaskFailed',
      optionalString(body, 'cause') ?? '',
    );
    return c.json({ accepted: true });
  });

  app.post('/v1/tasks/heartbeat', async (c) => {
    await engine.sendTaskHeartbeat(requiredString(await jsonBody(c), 'taskToken'));
    return c.json({ accepted: true });
  });
}
