'use strict';
/**
 * Preloaded into the n8n processes the bench starts (`node --require`): every 50 ms it notes the
 * process's CPU time and resident memory, and at exit writes the samples to
 * `$BENCH_SAMPLES_DIR/<pid>.json`. The bench then reads the CPU and peak memory of the one window
 * that matters, the node's own run, instead of figures dominated by n8n starting up.
 */
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_SAMPLES_DIR;
if (dir !== undefined && dir !== '') {
	const samples = [];
	const sample = () => {
		const cpu = process.cpuUsage();
		samples.push([Date.now(), (cpu.user + cpu.system) / 1000, process.memoryUsage.rss()]);
	};
	sample();
	setInterval(sample, 50).unref();
	process.on('exit', () => {
		sample();
		fs.writeFileSync(
			path.join(dir, `${process.pid}.json`),
			JSON.stringify({ argv: process.argv.slice(1), samples }),
		);
	});
}
