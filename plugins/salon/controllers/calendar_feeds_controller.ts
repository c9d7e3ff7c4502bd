import type { HttpContext } from '@adonisjs/core/http'
import {
  ApiError,
  isTeamMember,
  paginate,
  publicPageUrl,
  resource,
  single,
  validateAttributes,
} from '#plinth'
import CalendarFeed from '../models/calendar_feed.js'
import { calendarFeedValidator } from '../validators/appointment_validator.js'
import { hashToken, issueFeed, revokeFeed, staffFeed } from '../services/calendar.js'
import { staffMember } from '../services/schedule.js'

function feedResource(feed: CalendarFeed, url?: string) {
  return resource('salon-calendar-feed', feed.id, {
    staffId: feed.userId,
    active: feed.revokedAt === null,
    revokedAt: feed.revokedAt?.toISO() ?? null,
    createdAt: feed.createdAt.toISO(),
    // shown once, when issued or rotated: only its hash is kept
    ...(url ? { url } : {}),
  })
}

const urlFor = (ctx: HttpContext, token: string) =>
  `${ctx.request.protocol()}://${ctx.request.host()}${publicPageUrl('salon', ctx.actor!.tenant.slug, `/calendars/${token}.ics`)}`

/* Per-staff iCalendar feeds: issue, rotate, revoke; the feed itself needs only its token. */
export default class CalendarFeedsController {
  async index(ctx: HttpContext) {
    return paginate(
      ctx,
      CalendarFeed.query(),
      { sortable: { id: 'id' }, filterable: { staffId: 'user_id' }, defaultSort: 'id' },
      (feed) => feedResource(feed)
    )
  }

  async show({ params }: HttpContext) {
    return single(feedResource(await CalendarFeed.findOrFail(params.id)))
  }

  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, calendarFeedValidator)
    let staffId = ctx.actor!.user.id
    if (input.staffId !== undefined) {
      staffId = await staffMember(input.staffId).catch(() => {
        throw new ApiError(422, 'UNKNOWN_STAFF', `No team member with id ${input.staffId}`, {
          pointer: '/data/attributes/staffId',
        })
      })
    }
    const { feed, token } = await issueFeed(staffId, null)
    ctx.response.status(201)
    return single(feedResource(feed, urlFor(ctx, token)))
  }

  async rotate(ctx: HttpContext) {
    const current = await CalendarFeed.findOrFail(ctx.params.id)
    const { feed, token } = await issueFeed(current.userId, current)
    return single(feedResource(feed, urlFor(ctx, token)))
  }

  async revoke({ params }: HttpContext) {
    return single(feedResource(await revokeFeed(await CalendarFeed.findOrFail(params.id))))
  }

  /*
   * GET /p/<tenant>/salon/calendars/<token>.ics, no login (a public route: the
   * kernel resolved the tenant and checked the plugin is on); the token names the feed
   */
  async feed({ params, response }: HttpContext) {
    const token = String(params.token).replace(/\.ics$/, '')
    const feed = /^[A-Za-z0-9_-]{43}$/.test(token)
      ? await CalendarFeed.query()
          .where('token_hash', hashToken(token))
          .whereNull('revoked_at')
          .first()
      : null
    if (!feed || !(await isTeamMember(feed.userId)))
      throw new ApiError(404, 'NOT_FOUND', 'No such calendar')
    response.header('Content-Type', 'text/calendar; charset=utf-8')
    response.header('Cache-Control', 'private, max-age=300')
    return staffFeed(feed.userId)
  }
}
