/**
 * What every benchmark command does around its work. `cleanup` (stop the processes,
 * drop the schema and Redis keys) runs once, whatever ends the run: success, a failure,
 * Ctrl+C or SIGTERM, or the hard deadline. The exit code says how it went: 0 done, 1
 * failed, discarded (unless `allowDiscard`) or not passing `passed`, 130 interrupted.
 */
export function benchmarkCommand(opts: { cleanup: () => Promise<void>; deadlineS: number; allowDiscard: boolean }) {
  let cleaning: Promise<void> | null = null;
  const cleanup = () => (cleaning ??= opts.cleanup());

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the benchmark and cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  // A hard ceiling on the whole command, whatever hangs.
  setTimeout(() => {
    console.error(`\nthe benchmark passed its time limit (${Math.round(opts.deadlineS)} s): stopping`);
    void cleanup().finally(() => process.exit(1));
  }, opts.deadlineS * 1000).unref();

  return {
    cleanup,
    /** Runs the benchmark, cleans up, and exits with its verdict. */
    run<R extends { discarded: boolean; discardReasons: string[] }>(main: () => Promise<R>, passed: (report: R) => boolean = () => true): void {
      main()
        .then(async (report) => {
          await cleanup();
          if (report.discarded && !opts.allowDiscard) {
            console.error(`\nrun DISCARDED: ${report.discardReasons.join('; ')} (--allow-discard to exit 0)`);
            process.exit(1);
          }
          process.exit(passed(report) ? 0 : 1);
        })
        .catch(async (err: Error) => {
          console.error(`\nbenchmark failed: ${err.stack ?? err.message}`);
          await cleanup().catch(() => undefined);
          process.exit(1);
        });
    },
  };
}
