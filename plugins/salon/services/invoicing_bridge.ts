import type Appointment from '../models/appointment.js'

/*
 * Deposits and fees are recorded on the appointment (deposit, fee, feeReason).
 * When the invoicing plugin is enabled they are also invoiced; until it is
 * wired in, this is where that happens (nothing else to do).
 */
export async function settleFees(_appointments: Appointment[], _what: 'deposit' | 'fee') {}
