/*
 * The props the server hands to the Vue pages. Types only and no imports, so
 * the client (resources/, checked by vue-tsc) imports this file as well.
 */

export type NavItem = { label: string; href: string }

export type TenantChoice = { id: number; name: string; slug: string; role: string }

/* Shared with every page while someone is signed in. */
export type ShellProps = {
  user: { id: number; fullName: string; email: string }
  tenant: { id: number; slug: string; name: string }
  role: { key: string; name: string }
  tenants: TenantChoice[]
  nav: NavItem[]
}

export type SharedProps = {
  shell: ShellProps | null
  flash: { notice: string | null }
  errors: Record<string, string | undefined>
}

export type LoginProps = { twoFactor: boolean }

export type DashboardProps = {
  counts: { members: number; roles: number; auditEntries: number | null }
  twoFactorEnabled: boolean
  mustEnrollTwoFactor: boolean
}

export type MemberRow = {
  id: number
  fullName: string
  email: string
  role: string
  twoFactorEnabled: boolean
  joinedAt: string | null
}

export type RoleRow = {
  id: number
  key: string
  name: string
  isSystem: boolean
  permissions: string[]
}

export type AuditRow = {
  id: number
  action: string
  actor: string | null
  subject: string | null
  ip: string | null
  createdAt: string
}

export type SecurityProps = {
  twoFactor: { enabled: boolean; enabledAt: string | null; recoveryCodesLeft: number }
  /* while enrolling: the QR code and the secret for manual entry */
  enrollment: { qrCodeDataUrl: string; secret: string } | null
  /* right after confirming, once */
  recoveryCodes: string[] | null
  requiredByTenant: boolean
}

/* The plugin manager (/app/plugins): the catalog with the tenant's state. */
export type PluginSettingsForm = {
  /* the plugin's JSON Schema (top-level properties become fields) */
  schema: Record<string, unknown>
  /* stored values; secret fields read as the mask when set */
  values: Record<string, unknown>
  secrets: string[]
  mask: string
}

export type PluginCatalogRow = {
  id: string
  name: string
  version: string
  description: string | null
  kernelRange: string | null
  requires: { id: string; range: string; enabled: boolean }[]
  dependants: string[]
  enabled: boolean
  uninstalled: boolean
  permissions: string[]
  capabilities: string[]
  settings: PluginSettingsForm | null
}

export type PluginManagerProps = {
  plugins: PluginCatalogRow[]
  canManage: boolean
}
