// Preloaded (node --require bench/rusage.cjs) into a measured process: at exit, writes the
// process's CPU time (user + system, every thread) and peak RSS to $BENCH_RUSAGE_FILE as JSON.
'use strict';
const { writeFileSync } = require('node:fs');
const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    writeFileSync(file, JSON.stringify({ cpuMs, maxRssBytes: usage.maxRSS * 1024 }));
  });
}
