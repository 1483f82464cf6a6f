// Task functions for the quickstart workflow: run by the flywheel:function resource in a worker process.

/** Scores one batch: the mean of its values. */
export async function score({ index, values }) {
  if (!Array.isArray(values) || values.length === 0) {
    const error = new Error(`batch ${index} is empty`);
    error.name = 'Quickstart.EmptyBatch';
    throw error;
  }
  return { index, score: values.reduce((a, b) => a + b, 0) / values.length };
}

/** The mean of the batch scores. */
export async function mean(scores) {
  return scores.reduce((a, s) => a + s.score, 0) / scores.length;
}
