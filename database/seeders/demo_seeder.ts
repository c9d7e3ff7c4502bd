import { BaseSeeder } from '@adonisjs/lucid/seeders'
import Tenant from '#models/tenant'
import User from '#models/user'
import Membership from '#models/membership'
import { createTenant } from '#tenancy/actions/create_tenant'
import { addMember } from '#tenancy/actions/manage_members'
import { actorForTenant } from '#tenancy/resolve_actor'
import { tenantContext } from '#tenancy/tenant_context'
import { DateTime } from 'luxon'
import LedgerEntry from '#ledger/models/ledger_entry'
import { ledger } from '#ledger/ledger_service'
import { plugins } from '#plugins/main'
import { enablePlugin } from '#plugins/switch_plugin'
import { enabledPlugins } from '#plugins/enabled_plugins'
import TenantPlugin from '#plugins/models/tenant_plugin'

/*
 * Demo data for `npm start`: tenant "demo" with an owner and one member per
 * built-in role, plus a second tenant the owner also belongs to, so the tenant
 * switcher has somewhere to go. Idempotent: rows that exist are left alone.
 * Everyone shares the demo password; it is printed by `node ace plinth:setup`.
 */
export const DEMO = {
  password: 'plinth-demo-password',
  owner: { email: 'owner@demo.test', fullName: 'Olivia Owner' },
  tenants: [
    {
      slug: 'demo',
      name: 'Demo Services',
      members: [
        { email: 'admin@demo.test', fullName: 'Adam Admin', role: 'admin' },
        { email: 'manager@demo.test', fullName: 'Maya Manager', role: 'manager' },
        { email: 'dispatcher@demo.test', fullName: 'Dan Dispatcher', role: 'dispatcher' },
        { email: 'worker@demo.test', fullName: 'Wendy Worker', role: 'worker' },
        { email: 'limited@demo.test', fullName: 'Liam Limited', role: 'limited_worker' },
      ],
    },
    {
      slug: 'demo-north',
      name: 'Demo North Branch',
      members: [{ email: 'manager@demo.test', fullName: 'Maya Manager', role: 'admin' }],
    },
  ],
} as const

/*
 * Six months of books for the first demo tenant (sales, rent, wages, a USD
 * sale, a reversal), so the ledger pages and the P&L chart have something to
 * show. Only into books that have no entry yet; dated back from today.
 */
async function seedDemoBooks(ownerId: number) {
  if (await LedgerEntry.query().first()) return
  const today = DateTime.utc()
  const post = (
    monthsAgo: number,
    day: number,
    memo: string,
    lines: [string, string, string][],
    currency = 'EUR'
  ) => {
    const date = today.minus({ months: monthsAgo }).set({ day }).toISODate()!
    // nothing dated in the future
    if (date > today.toISODate()!) return null
    return ledger.post(
      {
        date,
        memo,
        currency,
        source: { plugin: 'kernel', reference: 'demo' },
        idempotencyKey: `demo-${date}-${memo}`,
        lines: lines.map(([account, side, amount]) => ({
          account,
          side: side as 'debit' | 'credit',
          amount,
        })),
      },
      { actorUserId: ownerId }
    )
  }
  await post(6, 1, 'Owner investment', [
    ['1020', 'debit', '2500000'],
    ['3000', 'credit', '2500000'],
  ])
  for (let monthsAgo = 5; monthsAgo >= 0; monthsAgo--) {
    const sales = String(900000 + ((monthsAgo * 137) % 5) * 110000)
    await post(monthsAgo, 3, 'Rent', [
      ['6100', 'debit', '180000'],
      ['1020', 'credit', '180000'],
    ])
    await post(monthsAgo, 10, 'Services invoiced', [
      ['1100', 'debit', sales],
      ['4100', 'credit', sales],
    ])
    await post(monthsAgo, 20, 'Customer payments', [
      ['1020', 'debit', sales],
      ['1100', 'credit', sales],
    ])
    await post(monthsAgo, 25, 'Wages', [
      ['6200', 'debit', '520000'],
      ['1020', 'credit', '520000'],
    ])
    await post(monthsAgo, 27, 'Utilities', [
      ['6300', 'debit', '23450'],
      ['1020', 'credit', '23450'],
    ])
  }
  await post(
    2,
    15,
    'US client project',
    [
      ['1100', 'debit', '450000'],
      ['4100', 'credit', '450000'],
    ],
    'USD'
  )
  const mistake = await post(1, 12, 'Office supplies (posted twice)', [
    ['6900', 'debit', '8990'],
    ['1020', 'credit', '8990'],
  ])
  if (mistake) await ledger.reverse(mistake.id, { date: mistake.date }, { actorUserId: ownerId })
}

/* the first-party plugins switched on for the demo tenant (their requirements come along) */
export const DEMO_PLUGINS = ['crm', 'invoicing', 'salon']

/*
 * Switches the demo plugins on with the kernel's enable action (audited, hooks
 * run) unless the tenant already has a row for them: a plugin somebody
 * switched off stays off. Then runs the `demo` hook of every plugin the tenant
 * has enabled, in dependency order.
 */
async function seedDemoPlugins(tenantId: number) {
  for (const id of DEMO_PLUGINS) {
    if (!plugins.registry.has(id)) continue
    const switched = await TenantPlugin.query()
      .where('tenant_id', tenantId)
      .where('plugin_id', id)
      .first()
    if (!switched) await enablePlugin(tenantId, id, { withDependencies: true })
  }
  enabledPlugins.invalidate(tenantId)
  const enabled = await enabledPlugins.load(tenantId)
  for (const plugin of plugins.registry.all()) {
    if (!enabled.has(plugin.id) || !plugin.manifest.demo) continue
    await plugin.manifest.demo({ id: tenantId }, plugin.context)
  }
}

async function findOrCreateUser(email: string, fullName: string) {
  const existing = await User.findBy('email', email)
  if (existing) return existing
  return User.create({ email, fullName, password: DEMO.password, invitationPending: false })
}

export async function seedDemo() {
  const owner = await findOrCreateUser(DEMO.owner.email, DEMO.owner.fullName)

  for (const spec of DEMO.tenants) {
    let tenant = await Tenant.findBy('slug', spec.slug)
    if (!tenant) {
      const created = await createTenant({ name: spec.name, slug: spec.slug, owner })
      tenant = created.tenant
    }

    const actor = await actorForTenant(owner, tenant.id)
    // the slug exists but the demo owner is not in it: somebody else's tenant, leave it be
    if (!actor) continue

    await tenantContext.run(tenant.id, async () => {
      for (const member of spec.members) {
        const user = await findOrCreateUser(member.email, member.fullName)
        if (await Membership.query().where('user_id', user.id).first()) continue
        await addMember(actor, { email: member.email, role: member.role })
      }
      if (spec.slug === 'demo') {
        await seedDemoBooks(owner.id)
        await seedDemoPlugins(tenant.id)
      }
    })
  }
}

export default class DemoSeeder extends BaseSeeder {
  static environment = ['development', 'production']

  async run() {
    await seedDemo()
  }
}
