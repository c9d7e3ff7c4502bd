import type { Router } from '@adonisjs/core/http'

const OnlineBookingController = () => import('../controllers/online_booking_controller.js')

/*
 * The salon's public routes (manifest `publicRoutes`), served by the kernel
 * under /p/:tenant/salon/ without login: the online booking page, its slots
 * and the booking itself.
 */
export function onlineBookingRoutes(router: Router) {
  router.get('/book', [OnlineBookingController, 'show']).as('salon.online_booking')
  router.get('/book/slots', [OnlineBookingController, 'slots']).as('salon.online_booking.slots')
  router.post('/book', [OnlineBookingController, 'store']).as('salon.online_booking.store')
}
