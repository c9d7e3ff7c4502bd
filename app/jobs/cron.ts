import { CronExpressionParser } from 'cron-parser'

/* The first time strictly after `after` (epoch ms) that the cron expression names. */
export function nextCronTime(cron: string, after: number, timezone?: string | null): number {
  const expression = CronExpressionParser.parse(cron, {
    currentDate: new Date(after),
    tz: timezone ?? 'UTC',
  })
  return expression.next().getTime()
}

/* Throws a readable error for an expression cron-parser refuses. */
export function assertCron(cron: string, timezone?: string | null) {
  try {
    nextCronTime(cron, Date.now(), timezone)
  } catch (error) {
    throw new Error(`Invalid cron expression "${cron}": ${(error as Error).message}`)
  }
}
