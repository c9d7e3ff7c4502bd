import { BaseSeeder } from '@adonisjs/lucid/seeders'
import Tenant from '#models/tenant'
import User from '#models/user'
import Membership from '#models/membership'
import { createTenant } from '#tenancy/actions/create_tenant'
import { addMember } from '#tenancy/actions/manage_members'
import { actorForTenant } from '#tenancy/resolve_actor'
import { tenantContext } from '#tenancy/tenant_context'

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
    })
  }
}

export default class DemoSeeder extends BaseSeeder {
  static environment = ['development', 'production']

  async run() {
    await seedDemo()
  }
}
