// A progress bar on a terminal (stderr), nothing at all under cron.
import cliProgress from 'cli-progress';
import { silentProgress, type Progress } from '../jobs/runner.js';

export function terminalProgress(): Progress {
  if (!process.stderr.isTTY) return silentProgress;
  let bar: cliProgress.SingleBar | undefined;
  return {
    visible: true,
    start(total, label) {
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    increment(n) {
      bar?.increment(n);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
