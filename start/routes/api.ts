/*
 * REST API, /api/v1. Every route declares its doc (validators, permission)
 * with `.describe()`: the same declaration feeds the OpenAPI document.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { throttleApi, throttleAuth } from '#start/limiter'
import { signupValidator } from '#auth/validators/signup_validator'
import { createTokenValidator } from '#auth/validators/token_validator'
import { createRoleValidator, updateRoleValidator } from '#rbac/validators/role_validator'
import { addMemberValidator, changeMemberRoleValidator } from '#tenancy/validators/member_validator'

const SignupController = () => import('#auth/controllers/signup_controller')
const TokensController = () => import('#auth/controllers/tokens_controller')
const MeController = () => import('#auth/controllers/me_controller')
const RolesController = () => import('#rbac/controllers/roles_controller')
const MembersController = () => import('#tenancy/controllers/members_controller')
const AuditLogController = () => import('#audit/controllers/audit_log_controller')

router
  .group(() => {
    /* public: signup and the token exchange */
    router
      .group(() => {
        router
          .post('/signup', [SignupController, 'store'])
          .as('signup')
          .describe({ summary: 'Create a tenant and its owner', tag: 'Auth', body: signupValidator, resource: 'tenant', auth: false, status: 201, errors: [409] })
        router
          .post('/auth/tokens', [TokensController, 'store'])
          .as('auth.tokens.store')
          .describe({ summary: 'Exchange credentials for a bearer token', tag: 'Auth', body: createTokenValidator, resource: 'token', auth: false, status: 201, errors: [401, 404, 423] })
      })
      .use(throttleAuth)

    /* authenticated, tenant-scoped */
    router
      .group(() => {
        router.delete('/auth/tokens/current', [TokensController, 'destroy']).as('auth.tokens.destroy')
          .describe({ summary: 'Revoke the token used for this request', tag: 'Auth', status: 204 })
        router.get('/me', [MeController, 'show']).as('me')
          .describe({ summary: 'The current user, tenant, role and permissions', tag: 'Auth', resource: 'user' })

        router.get('/roles', [RolesController, 'index']).as('roles.index')
          .describe({ summary: 'List roles', tag: 'Roles', resource: 'role', list: true, permission: 'roles.read' })
        router.post('/roles', [RolesController, 'store']).as('roles.store')
          .describe({ summary: 'Create a custom role', tag: 'Roles', body: createRoleValidator, resource: 'role', permission: 'roles.write', status: 201, errors: [409] })
        router.get('/roles/:id', [RolesController, 'show']).as('roles.show').where('id', router.matchers.number())
          .describe({ summary: 'Show a role', tag: 'Roles', resource: 'role', permission: 'roles.read' })
        router.patch('/roles/:id', [RolesController, 'update']).as('roles.update').where('id', router.matchers.number())
          .describe({ summary: 'Change a custom role', tag: 'Roles', body: updateRoleValidator, resource: 'role', permission: 'roles.write', errors: [409] })
        router.delete('/roles/:id', [RolesController, 'destroy']).as('roles.destroy').where('id', router.matchers.number())
          .describe({ summary: 'Delete a custom role', tag: 'Roles', permission: 'roles.write', status: 204, errors: [409] })

        router.get('/members', [MembersController, 'index']).as('members.index')
          .describe({ summary: 'List team members', tag: 'Members', resource: 'member', list: true, permission: 'members.read' })
        router.post('/members', [MembersController, 'store']).as('members.store')
          .describe({ summary: 'Add or invite a member with a role', tag: 'Members', body: addMemberValidator, resource: 'member', permission: 'members.write', status: 201, errors: [409] })
        router.get('/members/:id', [MembersController, 'show']).as('members.show').where('id', router.matchers.number())
          .describe({ summary: 'Show a member', tag: 'Members', resource: 'member', permission: 'members.read' })
        router.patch('/members/:id', [MembersController, 'update']).as('members.update').where('id', router.matchers.number())
          .describe({ summary: "Change a member's role", tag: 'Members', body: changeMemberRoleValidator, resource: 'member', permission: 'members.write', errors: [409] })
        router.delete('/members/:id', [MembersController, 'destroy']).as('members.destroy').where('id', router.matchers.number())
          .describe({ summary: 'Remove a member', tag: 'Members', permission: 'members.write', status: 204, errors: [409] })

        router.get('/audit-log', [AuditLogController, 'index']).as('audit.index')
          .describe({ summary: 'Read the audit log', tag: 'Audit', resource: 'audit-entry', list: true, permission: 'audit.read' })
      })
      .use([middleware.apiAuth(), throttleApi])
  })
  .prefix('/api/v1')
  .as('api')
