import { audit } from '#audit/audit_log'
import { defineJob } from '#jobs/define_job'
import { jobs } from '#jobs/jobs'

/*
 * Answers "are my workers running?": the probe writes an audit entry naming the
 * worker process that ran it, in the tenant it was dispatched for.
 */
export const probeJob = jobs.register(
  defineJob<{ probe: string }>({
    name: 'kernel.jobs.probe',
    owner: 'kernel',
    attempts: 3,
    async handle(payload, ctx) {
      await audit({
        action: 'jobs.probe',
        tenantId: ctx.tenantId,
        actorUserId: null,
        subjectType: 'job',
        subjectId: ctx.jobId,
        meta: { probe: payload.probe, pid: process.pid, driver: jobs.driver.kind },
      })
    },
  })
)
