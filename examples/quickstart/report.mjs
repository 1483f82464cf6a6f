// Reads the batch scores as JSON on stdin and prints a JSON report on stdout (the flywheel:command contract).
let text = '';
for await (const chunk of process.stdin) text += chunk;
const scores = JSON.parse(text);
const best = scores.reduce((a, b) => (b.score > a.score ? b : a));
process.stdout.write(JSON.stringify({ batches: scores.length, best: best.index, bestScore: best.score }));
