import type { HttpContext } from '@adonisjs/core/http'
import { validateAttributes } from '#plinth'
import {
  onlineBookingValidator,
  onlineSlotsValidator,
} from '../validators/online_booking_validator.js'
import { bookOnline, onlineBookingProps, onlineSlots } from '../services/online_booking_pages.js'

/*
 * The public booking page of a tenant (/p/:tenant/salon/book), no login. The
 * kernel's public gate has resolved the tenant, checked that it enabled the
 * salon, and runs this in its context; shield checks the CSRF token of posts.
 */
export default class OnlineBookingController {
  async show(ctx: HttpContext) {
    return ctx.inertia.render(
      'plugins/salon/public/book',
      await onlineBookingProps(ctx.publicTenant!)
    )
  }

  /* GET .../book/slots?serviceId=&staffId=&date=&days= (JSON) */
  async slots({ request }: HttpContext) {
    const input = await onlineSlotsValidator.validate(request.qs())
    return { data: await onlineSlots(input) }
  }

  /* POST .../book (JSON): 201 with the booking, 409 SLOT_TAKEN, 422, 429 */
  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, onlineBookingValidator)
    const booking = await bookOnline(input, ctx.request.ip())
    ctx.response.status(201)
    return { data: booking }
  }
}
