import { randomUUID } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import { audit } from '#audit/audit_log'
import { ApiError } from '#http/api_error'
import { resource, single } from '#http/envelope'
import { parseListParams } from '#http/list_query'
import { jobs } from '#jobs/jobs'
import { probeJob } from '#jobs/kernel_jobs'
import type { DeadJob } from '#jobs/queue_driver'

const deadJobResource = (job: DeadJob) =>
  resource('dead-job', job.id, {
    name: job.name,
    owner: job.owner,
    payload: job.payload,
    attempts: job.attempts,
    lastError: job.lastError,
    failedAt: job.failedAt?.toISOString() ?? null,
    createdAt: job.createdAt?.toISOString() ?? null,
  })

/* Jobs of this tenant that failed every attempt, putting them back in the queue, and the worker probe. */
export default class JobsController {
  /* GET /api/v1/jobs/dead-letter: newest failure first. */
  async index(ctx: HttpContext) {
    const { page, limit } = parseListParams(ctx.request.qs(), {
      sortable: { failedAt: 'failed_at' },
      defaultSort: '-failedAt',
    })
    const tenantId = ctx.actor!.tenant.id
    const { rows, total } = await jobs.driver.deadLetters(tenantId, page, limit)
    const totalPages = Math.max(1, Math.ceil(total / limit))
    const link = (target: number) => `${ctx.request.url()}?page=${target}&limit=${limit}`
    return {
      data: rows.map(deadJobResource),
      meta: { page, limit, total, totalPages },
      links: {
        first: link(1),
        prev: page > 1 ? link(Math.min(page - 1, totalPages)) : null,
        next: page < totalPages ? link(page + 1) : null,
        last: link(totalPages),
      },
    }
  }

  /* POST /api/v1/jobs/:id/retry: a fresh set of attempts for a dead job of this tenant. */
  async retry(ctx: HttpContext) {
    const tenantId = ctx.actor!.tenant.id
    const id = ctx.params.id as string
    const retried = await jobs.driver.retryDead(tenantId, id)
    if (!retried) throw ApiError.notFound('Dead job')
    await audit({ action: 'jobs.retried', subjectType: 'job', subjectId: id })
    return single(resource('job', id, { status: 'queued' }))
  }

  /*
   * POST /api/v1/jobs/probe: "are the workers running?" A worker that runs the
   * probe writes a `jobs.probe` audit entry naming its process.
   */
  async probe(ctx: HttpContext) {
    const probe = randomUUID()
    const id = await jobs.dispatch(probeJob, { probe }, { tenantId: ctx.actor!.tenant.id })
    await audit({
      action: 'jobs.probe.dispatched',
      subjectType: 'job',
      subjectId: id,
      meta: { probe },
    })
    ctx.response.status(202)
    return single(resource('job', id, { name: probeJob.name, status: 'queued', probe }))
  }
}
