/*
 * REST API, /api/v1. Every route declares its doc (validators, permission)
 * with `.describe()`: the same declaration feeds the OpenAPI document.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idParam } from '#http/openapi/route_docs'
import { throttleApi, throttleAuth } from '#start/limiter'
import { signupValidator } from '#auth/validators/signup_validator'
import { createTokenValidator } from '#auth/validators/token_validator'
import { createRoleValidator, updateRoleValidator } from '#rbac/validators/role_validator'
import { addMemberValidator, changeMemberRoleValidator } from '#tenancy/validators/member_validator'
import { twoFactorCodeValidator } from '#auth/validators/two_factor_validator'
import {
  acceptInvitationValidator,
  createTenantValidator,
  updateTenantValidator,
} from '#tenancy/validators/tenant_validator'

const SignupController = () => import('#auth/controllers/signup_controller')
const TokensController = () => import('#auth/controllers/tokens_controller')
const MeController = () => import('#auth/controllers/me_controller')
const RolesController = () => import('#rbac/controllers/roles_controller')
const MembersController = () => import('#tenancy/controllers/members_controller')
const AuditLogController = () => import('#audit/controllers/audit_log_controller')
const OpenApiController = () => import('#http/openapi/openapi_controller')
const TwoFactorController = () => import('#auth/controllers/two_factor_controller')
const TenantsController = () => import('#tenancy/controllers/tenants_controller')
const InvitationsController = () => import('#tenancy/controllers/invitations_controller')

router
  .group(() => {
    router
      .get('/openapi.json', [OpenApiController, 'show'])
      .as('openapi')
      .describe({
        summary: 'This OpenAPI 3.1 document',
        tag: 'Meta',
        auth: false,
        schema: { type: 'object', description: 'OpenAPI 3.1 document' },
      })

    /* public: signup and the token exchange */
    router
      .group(() => {
        router
          .post('/signup', [SignupController, 'store'])
          .as('signup')
          .describe({
            summary: 'Create a tenant and its owner',
            tag: 'Auth',
            body: signupValidator,
            resource: 'tenant',
            auth: false,
            status: 201,
            errors: [409],
          })
        router
          .post('/auth/tokens', [TokensController, 'store'])
          .as('auth.tokens.store')
          .describe({
            summary: 'Exchange credentials for a bearer token',
            tag: 'Auth',
            body: createTokenValidator,
            resource: 'token',
            auth: false,
            status: 201,
            errors: [401, 404, 423],
          })
        router
          .post('/invitations/:id/accept', [InvitationsController, 'accept'])
          .as('invitations.accept')
          .where('id', idParam)
          .describe({
            summary: 'Accept an invitation (signed link) by choosing a password',
            tag: 'Members',
            body: acceptInvitationValidator,
            resource: 'user',
            auth: false,
            errors: [403, 409],
          })
      })
      .use(throttleAuth)

    /* authenticated, tenant-scoped */
    router
      .group(() => {
        router
          .delete('/auth/tokens/current', [TokensController, 'destroy'])
          .as('auth.tokens.destroy')
          .describe({ summary: 'Revoke the token used for this request', tag: 'Auth', status: 204 })
        router.get('/me', [MeController, 'show']).as('me').describe({
          summary: 'The current user, tenant, role and permissions',
          tag: 'Auth',
          resource: 'user',
        })

        router
          .get('/auth/two-factor', [TwoFactorController, 'show'])
          .as('auth.two_factor.show')
          .describe({
            summary: 'Two-factor status of the current user',
            tag: 'Auth',
            resource: 'two-factor',
          })
        router
          .post('/auth/two-factor/enroll', [TwoFactorController, 'enroll'])
          .as('auth.two_factor.enroll')
          .describe({
            summary: 'Start TOTP enrollment (secret and QR code)',
            tag: 'Auth',
            resource: 'two-factor-enrollment',
            status: 201,
            errors: [409],
          })
        router
          .post('/auth/two-factor/confirm', [TwoFactorController, 'confirm'])
          .as('auth.two_factor.confirm')
          .describe({
            summary: 'Confirm TOTP enrollment with a first code; returns recovery codes once',
            tag: 'Auth',
            body: twoFactorCodeValidator,
            resource: 'two-factor',
            errors: [409],
          })
        router
          .post('/auth/two-factor/disable', [TwoFactorController, 'disable'])
          .as('auth.two_factor.disable')
          .describe({
            summary: 'Turn TOTP off (needs a current code)',
            tag: 'Auth',
            body: twoFactorCodeValidator,
            resource: 'two-factor',
            errors: [409],
          })

        router.get('/tenants', [TenantsController, 'index']).as('tenants.index').describe({
          summary: 'Tenants the current user belongs to',
          tag: 'Tenants',
          resource: 'tenant',
          list: true,
        })
        router
          .post('/tenants', [TenantsController, 'store'])
          .as('tenants.store')
          .describe({
            summary: 'Create another tenant owned by the current user',
            tag: 'Tenants',
            body: createTenantValidator,
            resource: 'tenant',
            status: 201,
            errors: [409],
          })
        router.get('/tenant', [TenantsController, 'show']).as('tenant.show').describe({
          summary: 'The current tenant',
          tag: 'Tenants',
          resource: 'tenant',
          permission: 'tenant.read',
        })
        router
          .patch('/tenant', [TenantsController, 'update'])
          .as('tenant.update')
          .describe({
            summary: 'Change the current tenant (name, two-factor policy)',
            tag: 'Tenants',
            body: updateTenantValidator,
            resource: 'tenant',
            permission: 'tenant.update',
            errors: [409],
          })

        router.get('/roles', [RolesController, 'index']).as('roles.index').describe({
          summary: 'List roles',
          tag: 'Roles',
          resource: 'role',
          list: true,
          permission: 'roles.read',
        })
        router
          .post('/roles', [RolesController, 'store'])
          .as('roles.store')
          .describe({
            summary: 'Create a custom role',
            tag: 'Roles',
            body: createRoleValidator,
            resource: 'role',
            permission: 'roles.write',
            status: 201,
            errors: [409],
          })
        router
          .get('/roles/:id', [RolesController, 'show'])
          .as('roles.show')
          .where('id', idParam)
          .describe({
            summary: 'Show a role',
            tag: 'Roles',
            resource: 'role',
            permission: 'roles.read',
          })
        router
          .patch('/roles/:id', [RolesController, 'update'])
          .as('roles.update')
          .where('id', idParam)
          .describe({
            summary: 'Change a custom role',
            tag: 'Roles',
            body: updateRoleValidator,
            resource: 'role',
            permission: 'roles.write',
            errors: [409],
          })
        router
          .delete('/roles/:id', [RolesController, 'destroy'])
          .as('roles.destroy')
          .where('id', idParam)
          .describe({
            summary: 'Delete a custom role',
            tag: 'Roles',
            permission: 'roles.write',
            status: 204,
            errors: [409],
          })

        router.get('/members', [MembersController, 'index']).as('members.index').describe({
          summary: 'List team members',
          tag: 'Members',
          resource: 'member',
          list: true,
          permission: 'members.read',
        })
        router
          .post('/members', [MembersController, 'store'])
          .as('members.store')
          .describe({
            summary: 'Add or invite a member with a role',
            tag: 'Members',
            body: addMemberValidator,
            resource: 'member',
            permission: 'members.write',
            status: 201,
            errors: [409],
          })
        router
          .get('/members/:id', [MembersController, 'show'])
          .as('members.show')
          .where('id', idParam)
          .describe({
            summary: 'Show a member',
            tag: 'Members',
            resource: 'member',
            permission: 'members.read',
          })
        router
          .patch('/members/:id', [MembersController, 'update'])
          .as('members.update')
          .where('id', idParam)
          .describe({
            summary: "Change a member's role",
            tag: 'Members',
            body: changeMemberRoleValidator,
            resource: 'member',
            permission: 'members.write',
            errors: [409],
          })
        router
          .delete('/members/:id', [MembersController, 'destroy'])
          .as('members.destroy')
          .where('id', idParam)
          .describe({
            summary: 'Remove a member',
            tag: 'Members',
            permission: 'members.write',
            status: 204,
            errors: [409],
          })

        router.get('/audit-log', [AuditLogController, 'index']).as('audit.index').describe({
          summary: 'Read the audit log',
          tag: 'Audit',
          resource: 'audit-entry',
          list: true,
          permission: 'audit.read',
        })
      })
      .use([middleware.apiAuth(), throttleApi])
  })
  .prefix('/api/v1')
  .as('api')
