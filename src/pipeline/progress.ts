import type { FlywheelClient, HistoryEventView } from '../client/index.js';

export interface ProgressOptions {
  write: (line: string) => void;
  /** The metric shown per training round, e.g. `validation-auc`. */
  roundMetric: string;
  totalRounds: number | undefined;
  pollMs?: number;
}

/**
 * Follows an execution's history and prints it state by state with durations, and while the Train state runs, the
 * training rounds with the validation metric as the tracking run receives them. Resolves when the execution ends.
 */
export async function followExecution(
  client: FlywheelClient,
  executionId: string,
  options: ProgressOptions,
): Promise<void> {
  const entered = new Map<string, number>();
  let seen = 0;
  let runId: string | undefined;
  let roundsShown = 0;
  let training = false;
  for (;;) {
    const execution = await client.describeExecution(executionId);
    const history = await client.history(executionId);
    for (const event of history.slice(seen)) {
      // The rounds stored since the last poll come before the Train state's end.
      if (event.type === 'StateExited' && event.state === 'Train' && runId) await showRounds(runId);
      report(event);
    }
    seen = history.length;
    if (training && runId) await showRounds(runId);
    if (execution.status !== 'RUNNING') return;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
  }

  function report(event: HistoryEventView): void {
    const frame = String(event.frame ?? 0);
    const state = String(event.state ?? '');
    const at = Date.parse(event.timestamp);
    switch (event.type) {
      case 'StateEntered':
        entered.set(`${frame}/${state}`, at);
        if (frame === '0') options.write(`→ ${state}`);
        if (state === 'Train') training = true;
        return;
      case 'StateExited': {
        const started = entered.get(`${frame}/${state}`) ?? at;
        if (frame === '0') options.write(`✓ ${state} (${at - started} ms)`);
        if (state === 'PrepareExperiment')
          runId = (event.output as { run?: { runId?: string } } | undefined)?.run?.runId;
        if (state === 'Train') training = false;
        return;
      }
      case 'TaskFailed':
        options.write(`  ! ${String(event.error)}: ${String(event.cause).slice(0, 300)}`);
        return;
      case 'ExecutionFailed':
        options.write(`✗ ${String(event.error)}: ${String(event.cause)}`);
        return;
      default:
        return;
    }
  }

  async function showRounds(run: string): Promise<void> {
    const points = await client.metricHistory(run, options.roundMetric).catch(() => []);
    for (const p of points.slice(roundsShown)) {
      const round = p.step + 1;
      const last = options.totalRounds !== undefined && round === options.totalRounds;
      if (round === 1 || round % 10 === 0 || last) {
        options.write(
          `    round ${round}${options.totalRounds ? `/${options.totalRounds}` : ''}  ${options.roundMetric} ${p.value.toFixed(4)}`,
        );
      }
    }
    roundsShown = Math.max(roundsShown, points.length);
  }
}
