import { definePlugin } from '#plinth'
import { seedSalonDemo } from './services/demo_data.js'
import { salonPlugin, SETTINGS_SCHEMA } from './services/salon_plugin.js'
import { emitDueReminders } from './services/reminders.js'
import { onlineBookingRoutes } from './services/online_booking_routes.js'
import {
  bookFromCalendar,
  calendarProps,
  rescheduleFromCalendar,
} from './services/calendar_pages.js'
import { clientHistoryProps, salonTimeline } from './services/client_history_pages.js'
import { crmExtensions } from '../crm/public.js'
import { salonPrivacy } from './services/client_privacy.js'
import {
  createLocationValidator,
  createResourceValidator,
  createServiceValidator,
  updateLocationValidator,
  updateResourceValidator,
  updateServiceValidator,
} from './validators/catalog_validator.js'
import {
  dateOverrideValidator,
  timeOffValidator,
  weeklyHoursValidator,
} from './validators/schedule_validator.js'
import {
  bookAppointmentValidator,
  calendarFeedValidator,
  cancelValidator,
  rescheduleValidator,
  waitlistValidator,
} from './validators/appointment_validator.js'

/* the salon's entries on the CRM client timeline (one per appointment) */
crmExtensions.register({ pluginId: 'salon', timeline: salonTimeline, ...salonPrivacy })

const CatalogController = () => import('./controllers/catalog_controller.js')
const ScheduleController = () => import('./controllers/schedule_controller.js')
const AvailabilityController = () => import('./controllers/availability_controller.js')
const AppointmentsController = () => import('./controllers/appointments_controller.js')
const WaitlistController = () => import('./controllers/waitlist_controller.js')
const CalendarFeedsController = () => import('./controllers/calendar_feeds_controller.js')

const id = { match: /^[0-9]{1,15}$/, cast: (value: string) => Number(value) }
const TAG = 'Salon'
const READ = 'salon.read'
const WRITE = 'salon.write'
const MANAGE = 'salon.manage'

/*
 * Salon booking: catalog (services, resources, locations), staff schedules,
 * availability, bookings that cannot collide (a PostgreSQL exclusion
 * constraint; serialized writes on SQLite), changes with the tenant's policy,
 * recurring appointments, a waitlist, reminders and iCalendar feeds.
 */
export default definePlugin({
  id: 'salon',
  name: 'Salon',
  version: '1.0.0',
  description:
    'Appointments for salons: services, staff schedules, availability, booking without double-booking, reminders and calendar feeds',
  requires: { kernel: '^1.0.0', plugins: { crm: '^1.0.0' } },
  permissions: [
    {
      key: 'salon.read',
      description: 'See services, schedules, availability and appointments',
      roles: ['admin', 'manager', 'dispatcher', 'worker', 'limited_worker'],
    },
    {
      key: 'salon.write',
      description: 'Book, reschedule, cancel and close appointments; waitlist; calendar feeds',
      roles: ['admin', 'manager', 'dispatcher', 'worker'],
    },
    {
      key: 'salon.manage',
      description: 'Change services, resources, locations, staff schedules and time off',
      roles: ['admin', 'manager'],
    },
  ],
  capabilities: ['events.publish', 'jobs.dispatch', 'settings.read'],
  migrations: 'database/migrations',
  settings: SETTINGS_SCHEMA,

  jobs: [
    {
      /* emits salon.appointment.reminder_due at each configured offset, once each */
      name: 'salon.send-reminders',
      attempts: 3,
      async handle(payload: { now?: string }, ctx) {
        salonPlugin.use(ctx.plugin)
        const now = payload?.now ? Date.parse(payload.now) : Date.now()
        await emitDueReminders(Number.isNaN(now) ? Date.now() : now)
      },
    },
  ],
  schedules: [{ key: 'salon.reminders', cron: '*/5 * * * *', job: 'salon.send-reminders' }],

  /* staff pages: the calendar (day/week, per staff or resource) and a client's history */
  pages: [
    {
      path: '/calendar',
      component: 'calendar',
      title: 'Calendar',
      permission: READ,
      props: calendarProps,
    },
    {
      path: '/clients/:id',
      component: 'client_history',
      title: 'Client history',
      permission: READ,
      props: clientHistoryProps,
    },
  ],
  actions: [
    { path: '/calendar/book', permission: WRITE, handle: bookFromCalendar },
    {
      path: '/calendar/appointments/:id/reschedule',
      permission: WRITE,
      handle: rescheduleFromCalendar,
    },
  ],
  nav: [{ label: 'Calendar', path: '/calendar', order: 20 }],

  routes(router, plugin) {
    salonPlugin.use(plugin)
    const doc = (summary: string, permission: string, extra: Record<string, unknown> = {}) => ({
      summary,
      tag: TAG,
      permission,
      ...extra,
    })

    /* catalog */
    router
      .get('/locations', [CatalogController, 'locations'])
      .as('salon.locations.index')
      .describe(doc('List locations', READ, { resource: 'salon-location', list: true }))
    router
      .post('/locations', [CatalogController, 'storeLocation'])
      .as('salon.locations.store')
      .describe(
        doc('Create a location (IANA time zone, opening hours)', MANAGE, {
          body: createLocationValidator,
          resource: 'salon-location',
          status: 201,
        })
      )
    router
      .get('/locations/:id', [CatalogController, 'showLocation'])
      .as('salon.locations.show')
      .where('id', id)
      .describe(doc('Show a location', READ, { resource: 'salon-location' }))
    router
      .patch('/locations/:id', [CatalogController, 'updateLocation'])
      .as('salon.locations.update')
      .where('id', id)
      .describe(
        doc('Change a location', MANAGE, {
          body: updateLocationValidator,
          resource: 'salon-location',
        })
      )
    router
      .get('/resources', [CatalogController, 'resources'])
      .as('salon.resources.index')
      .describe(doc('List resources', READ, { resource: 'salon-resource', list: true }))
    router
      .post('/resources', [CatalogController, 'storeResource'])
      .as('salon.resources.store')
      .describe(
        doc('Create a resource (a chair, a room, a machine) with its capacity', MANAGE, {
          body: createResourceValidator,
          resource: 'salon-resource',
          status: 201,
        })
      )
    router
      .get('/resources/:id', [CatalogController, 'showResource'])
      .as('salon.resources.show')
      .where('id', id)
      .describe(doc('Show a resource', READ, { resource: 'salon-resource' }))
    router
      .patch('/resources/:id', [CatalogController, 'updateResource'])
      .as('salon.resources.update')
      .where('id', id)
      .describe(
        doc('Change a resource', MANAGE, {
          body: updateResourceValidator,
          resource: 'salon-resource',
        })
      )
    router
      .get('/services', [CatalogController, 'services'])
      .as('salon.services.index')
      .describe(doc('List services', READ, { resource: 'salon-service', list: true }))
    router
      .post('/services', [CatalogController, 'storeService'])
      .as('salon.services.store')
      .describe(
        doc('Create a service (duration, buffers, prices, staff, resources)', MANAGE, {
          body: createServiceValidator,
          resource: 'salon-service',
          status: 201,
        })
      )
    router
      .get('/services/:id', [CatalogController, 'showService'])
      .as('salon.services.show')
      .where('id', id)
      .describe(doc('Show a service', READ, { resource: 'salon-service' }))
    router
      .patch('/services/:id', [CatalogController, 'updateService'])
      .as('salon.services.update')
      .where('id', id)
      .describe(
        doc('Change a service (lists given replace the service’s)', MANAGE, {
          body: updateServiceValidator,
          resource: 'salon-service',
        })
      )

    /* staff schedules */
    router
      .get('/staff/:staffId/hours', [ScheduleController, 'showHours'])
      .as('salon.staff.hours.show')
      .where('staffId', id)
      .describe(doc('Weekly working hours and breaks of a staff member', READ))
    router
      .put('/staff/:staffId/hours', [ScheduleController, 'replaceHours'])
      .as('salon.staff.hours.replace')
      .where('staffId', id)
      .describe(
        doc('Replace the weekly working hours and breaks of a staff member', MANAGE, {
          body: weeklyHoursValidator,
        })
      )
    router
      .get('/overrides', [ScheduleController, 'overrides'])
      .as('salon.overrides.index')
      .describe(doc('Date overrides', READ, { resource: 'salon-override', list: true }))
    router
      .post('/overrides', [ScheduleController, 'storeOverride'])
      .as('salon.overrides.store')
      .describe(
        doc('Set the working intervals of one date (none: a day off)', MANAGE, {
          body: dateOverrideValidator,
          resource: 'salon-override',
          status: 201,
        })
      )
    router
      .delete('/overrides/:id', [ScheduleController, 'destroyOverride'])
      .as('salon.overrides.destroy')
      .where('id', id)
      .describe(doc('Remove a date override', MANAGE, { resource: 'salon-override' }))
    router
      .get('/time-off', [ScheduleController, 'timeOff'])
      .as('salon.time_off.index')
      .describe(doc('Time off', READ, { resource: 'salon-time-off', list: true }))
    router
      .post('/time-off', [ScheduleController, 'storeTimeOff'])
      .as('salon.time_off.store')
      .describe(
        doc('Add time off (overlapping time off is a 409)', MANAGE, {
          body: timeOffValidator,
          resource: 'salon-time-off',
          status: 201,
          errors: [409],
        })
      )
    router
      .get('/time-off/:id', [ScheduleController, 'showTimeOff'])
      .as('salon.time_off.show')
      .where('id', id)
      .describe(doc('Show time off', READ, { resource: 'salon-time-off' }))
    router
      .delete('/time-off/:id', [ScheduleController, 'destroyTimeOff'])
      .as('salon.time_off.destroy')
      .where('id', id)
      .describe(doc('Remove time off', MANAGE, { resource: 'salon-time-off' }))

    /* availability and appointments */
    router
      .get('/availability', [AvailabilityController, 'index'])
      .as('salon.availability')
      .describe(
        doc(
          'Bookable start times (serviceId, from, to, staffId: none = any staff, each slot naming who is assigned)',
          READ,
          { resource: 'salon-slot', list: true }
        )
      )
    router
      .get('/appointments', [AppointmentsController, 'index'])
      .as('salon.appointments.index')
      .describe(doc('List appointments', READ, { resource: 'salon-appointment', list: true }))
    router
      .post('/appointments', [AppointmentsController, 'store'])
      .as('salon.appointments.store')
      .describe(
        doc(
          'Book an appointment (existing or new CRM client; one or several consecutive services; recurrence all-or-nothing). A taken time is 409 SLOT_TAKEN',
          WRITE,
          {
            body: bookAppointmentValidator,
            resource: 'salon-appointment',
            status: 201,
            errors: [409],
          }
        )
      )
    router
      .get('/appointments/:id', [AppointmentsController, 'show'])
      .as('salon.appointments.show')
      .where('id', id)
      .describe(doc('Show an appointment', READ, { resource: 'salon-appointment' }))
    router
      .get('/appointments/:id/ics', [AppointmentsController, 'ics'])
      .as('salon.appointments.ics')
      .where('id', id)
      .describe(
        doc('The appointment as an iCalendar (.ics) file', READ, {
          schema: { type: 'string', description: 'text/calendar' },
        })
      )
    router
      .post('/appointments/:id/reschedule', [AppointmentsController, 'reschedule'])
      .as('salon.appointments.reschedule')
      .where('id', id)
      .describe(
        doc('Move an appointment (same guarantees as booking)', WRITE, {
          body: rescheduleValidator,
          resource: 'salon-appointment',
          errors: [409],
        })
      )
    router
      .post('/appointments/:id/cancel', [AppointmentsController, 'cancel'])
      .as('salon.appointments.cancel')
      .where('id', id)
      .describe(
        doc(
          'Cancel (late-cancel fee inside the policy window); the time goes to the waitlist',
          WRITE,
          {
            body: cancelValidator,
            resource: 'salon-appointment',
            errors: [409],
          }
        )
      )
    router
      .post('/appointments/:id/no-show', [AppointmentsController, 'noShow'])
      .as('salon.appointments.no_show')
      .where('id', id)
      .describe(
        doc('Mark a no-show (no-show fee)', WRITE, { resource: 'salon-appointment', errors: [409] })
      )
    router
      .post('/appointments/:id/complete', [AppointmentsController, 'complete'])
      .as('salon.appointments.complete')
      .where('id', id)
      .describe(doc('Mark completed', WRITE, { resource: 'salon-appointment', errors: [409] }))

    /* waitlist */
    router
      .get('/waitlist', [WaitlistController, 'index'])
      .as('salon.waitlist.index')
      .describe(doc('Waitlist', READ, { resource: 'salon-waitlist-entry', list: true }))
    router
      .post('/waitlist', [WaitlistController, 'store'])
      .as('salon.waitlist.store')
      .describe(
        doc('Put a client on the waitlist for a service and a time window', WRITE, {
          body: waitlistValidator,
          resource: 'salon-waitlist-entry',
          status: 201,
        })
      )
    router
      .get('/waitlist/:id', [WaitlistController, 'show'])
      .as('salon.waitlist.show')
      .where('id', id)
      .describe(doc('Show a waitlist entry', READ, { resource: 'salon-waitlist-entry' }))
    router
      .post('/waitlist/:id/close', [WaitlistController, 'close'])
      .as('salon.waitlist.close')
      .where('id', id)
      .describe(doc('Take a client off the waitlist', WRITE, { resource: 'salon-waitlist-entry' }))

    /* calendar feeds */
    router
      .get('/calendar-feeds', [CalendarFeedsController, 'index'])
      .as('salon.calendar_feeds.index')
      .describe(doc('Calendar feeds', READ, { resource: 'salon-calendar-feed', list: true }))
    router
      .post('/calendar-feeds', [CalendarFeedsController, 'store'])
      .as('salon.calendar_feeds.store')
      .describe(
        doc('Issue a staff member’s iCalendar feed URL (shown once)', WRITE, {
          body: calendarFeedValidator,
          resource: 'salon-calendar-feed',
          status: 201,
        })
      )
    router
      .get('/calendar-feeds/:id', [CalendarFeedsController, 'show'])
      .as('salon.calendar_feeds.show')
      .where('id', id)
      .describe(doc('Show a calendar feed', READ, { resource: 'salon-calendar-feed' }))
    router
      .post('/calendar-feeds/:id/rotate', [CalendarFeedsController, 'rotate'])
      .as('salon.calendar_feeds.rotate')
      .where('id', id)
      .describe(
        doc('New secret URL for a feed (the old one stops working)', WRITE, {
          resource: 'salon-calendar-feed',
        })
      )
    router
      .post('/calendar-feeds/:id/revoke', [CalendarFeedsController, 'revoke'])
      .as('salon.calendar_feeds.revoke')
      .where('id', id)
      .describe(doc('Revoke a feed', WRITE, { resource: 'salon-calendar-feed' }))
  },

  /*
   * Without login under /p/<tenant>/salon/: the staff calendar feed (the secret
   * token is the key) and the online booking page for the tenant's clients.
   */
  publicRoutes(router) {
    router.get('/calendars/:token', [CalendarFeedsController, 'feed']).as('salon.calendar_feed')
    onlineBookingRoutes(router)
  },

  /* demo data for `npm start` (services/demo_data.ts) */
  demo: () => seedSalonDemo(),
})
