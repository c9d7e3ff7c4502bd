/*
 * Background jobs under /api/v1/jobs: the tenant's dead letter, manual retry, worker probe.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { throttleApi } from '#start/limiter'

const JobsController = () => import('#jobs/controllers/jobs_controller')

/* Job ids: UUIDs, caller-chosen ids, schedule ticks; BullMQ cron runs look like "repeat:<key>:<ms>". */
const jobIdParam = { match: /^[A-Za-z0-9:._-]{1,191}$/ }

router
  .group(() => {
    router.get('/jobs/dead-letter', [JobsController, 'index']).as('jobs.dead_letter').describe({
      summary: 'Jobs of this tenant that failed every attempt (newest first)',
      tag: 'Jobs',
      resource: 'dead-job',
      list: true,
      permission: 'jobs.manage',
    })
    router
      .post('/jobs/:id/retry', [JobsController, 'retry'])
      .as('jobs.retry')
      .where('id', jobIdParam)
      .describe({
        summary: 'Put a dead job back in the queue for a fresh set of attempts',
        tag: 'Jobs',
        resource: 'job',
        permission: 'jobs.manage',
        errors: [404],
      })
    router.post('/jobs/probe', [JobsController, 'probe']).as('jobs.probe').describe({
      summary: 'Queue a probe job; the worker that runs it writes a jobs.probe audit entry',
      tag: 'Jobs',
      resource: 'job',
      permission: 'jobs.manage',
      status: 202,
    })
  })
  .prefix('/api/v1')
  .as('api')
  .use([middleware.apiAuth(), throttleApi])
