/** farm's top-level help: its own module, so `farm --help` loads nothing else. */
export const HELP = `Usage: farm <command> [options]

Routes Claude tasks to the subscription, the API or a remote worker, with hard guards.

Commands:
  run         run one task (stdin or --task FILE)
  run-job     run a job (digest | lead-responder) as a task
  doctor      which billing path each way of running Claude takes here
  enqueue     put a task on the queue (REDIS_URL), or run it in-process without one
  worker      consume the queue (REDIS_URL)
  schedule    cron daemon for the jobs (systemd)
  crontab     print the equivalent crontab lines
  status      last and next run of each job, failures, spend, locks
  alert       record a failed unit and alert the owner (systemd OnFailure=), or --test

Run "farm <command> --help" for a command's options.`;

