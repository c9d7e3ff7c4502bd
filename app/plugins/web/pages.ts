import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import edge from 'edge.js'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import vite from '@adonisjs/vite/services/main'
import { middleware } from '#start/kernel'
import { hasPermission } from '#abilities/main'
import { plugins } from '#plugins/main'
import { enabledPlugins } from '#plugins/enabled_plugins'
import type { RegisteredPlugin } from '#plugins/registry'
import type { PluginPage, PluginPageAction } from '#plugins/types'
import { ApiError } from '#http/api_error'
import { pluginPageName, publishPageFolders, type PageFolder } from '#plugins/web/vite_plugin_pages'
import { pageUrl } from '#plugins/web/page_url'
import { acceptUploadsOn, receiveUpload, type ReceivedUpload } from '#http/uploads'

/* Where each plugin's Vue pages live: "<plugin root>/pages". */
export function pageFolders(registry = plugins.registry): PageFolder[] {
  return registry
    .all()
    .filter((plugin) => plugin.manifest.pages?.length)
    .map((plugin) => ({ id: plugin.id, folder: join(plugin.root, 'pages') }))
}

const appRoot = () => fileURLToPath(app.appRoot)

/* Source file of a plugin page, relative to the app root (null when it lives outside). */
function pluginPageFile(name: string): string | null {
  const match = /^plugins\/([^/]+)\/(.+)$/.exec(name)
  const plugin = match && plugins.booted ? plugins.registry.get(match[1]) : undefined
  if (!match || !plugin) return null
  const file = relative(appRoot(), join(plugin.root, 'pages', `${match[2]}.vue`))
  return file.startsWith('..') ? null : file.split(sep).join('/')
}

function inBuild(file: string) {
  if (!app.inProduction) return true
  try {
    return file in vite.manifest()
  } catch {
    return false
  }
}

/*
 * What the root view's @vite tag loads for a page: the app entry and the
 * page's own file (so its chunk is preloaded); a plugin page whose file Vite
 * cannot name (outside the app root, or not in the build) is loaded by the
 * app entry alone.
 */
export function pageEntrypoints(component: string): string[] {
  const file = component.startsWith('plugins/')
    ? pluginPageFile(component)
    : `resources/pages/${component}.vue`
  return file && inBuild(file) ? ['resources/app/app.ts', file] : ['resources/app/app.ts']
}

/* Props handed to every plugin page next to its own: which plugin and page it is. */
export type PluginPageMeta = { plugin: { id: string; name: string }; title: string }

function notFound({ response, inertia }: HttpContext) {
  response.status(404)
  return inertia.render('errors/not_found')
}

async function renderPage(ctx: HttpContext, plugin: RegisteredPlugin, page: PluginPage) {
  const actor = ctx.actor!
  const enabled = await enabledPlugins.forTenant(actor.tenant.id)
  if (!enabled.has(plugin.id)) return notFound(ctx)
  if (page.permission) await ctx.bouncer.authorize(hasPermission, page.permission)
  const props = page.props
    ? await page.props({
        tenantId: actor.tenant.id,
        userId: actor.user.id,
        permissions: actor.permissions,
        params: ctx.params,
        query: ctx.request.qs(),
        plugin: plugin.context,
      })
    : {}
  const meta: PluginPageMeta = {
    plugin: { id: plugin.id, name: plugin.manifest.name },
    title: page.title,
  }
  return ctx.inertia.render(pluginPageName(plugin.id, page.component), {
    ...props,
    pluginPage: meta,
  })
}

/*
 * A page's form post: the plugin's handler in the tenant's context. A refusal
 * (ApiError 4xx but 404) goes back to the page with the message on the field
 * its pointer names (`/data/attributes/amount` -> `amount`), else on `form`.
 */
async function runAction(ctx: HttpContext, plugin: RegisteredPlugin, action: PluginPageAction) {
  const actor = ctx.actor!
  const enabled = await enabledPlugins.forTenant(actor.tenant.id)
  if (!enabled.has(plugin.id)) return notFound(ctx)
  await ctx.bouncer.authorize(hasPermission, action.permission)
  let upload: ReceivedUpload | null = null
  try {
    if (action.upload) upload = await receiveUpload(ctx, action.upload)
    const body = upload ? upload.fields : ctx.request.body()
    const result = await action.handle({
      tenantId: actor.tenant.id,
      userId: actor.user.id,
      permissions: actor.permissions,
      params: ctx.params,
      query: ctx.request.qs(),
      body: body && typeof body === 'object' && !Array.isArray(body) ? body : {},
      ...(upload
        ? { file: { path: upload.path, clientName: upload.clientName, size: upload.size } }
        : {}),
      plugin: plugin.context,
    })
    if (result?.file) {
      const { body: bytes, contentType, filename, inline } = result.file
      ctx.response.header('Content-Type', contentType)
      ctx.response.header(
        'Content-Disposition',
        `${inline ? 'inline' : 'attachment'}; filename="${filename.replace(/["\\\r\n]/g, '_')}"`
      )
      return ctx.response.send(typeof bytes === 'string' ? bytes : Buffer.from(bytes))
    }
    if (result?.notice) ctx.session.flash('notice', result.notice)
    if (result?.redirectTo)
      return ctx.response.redirect().toPath(pageUrl(plugin.id, result.redirectTo))
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 404 || error.status >= 500) throw error
    ctx.session.flashErrors({ [error.pointer?.split('/').pop() || 'form']: error.message })
  } finally {
    await upload?.cleanup()
  }
  // back to the page as it was, its query (a date, filters) included
  return ctx.response.redirect().withQs().back()
}

/*
 * Mounts every plugin's pages under /app/<id>/ behind the staff session: a
 * tenant without the plugin gets the 404 page, a role without the page's
 * permission a 403; their actions (form posts, file links) likewise. Also
 * tells Vite and the root view where the pages are.
 */
export function mountPluginPages() {
  publishPageFolders(() => (plugins.booted ? pageFolders() : []))
  edge.global('pageEntrypoints', pageEntrypoints)

  router
    .group(() => {
      for (const plugin of plugins.registry.all()) {
        for (const page of plugin.manifest.pages ?? []) {
          router.get(pageUrl(plugin.id, page.path), (ctx) => renderPage(ctx, plugin, page))
        }
        for (const action of plugin.manifest.actions ?? []) {
          const url = pageUrl(plugin.id, action.path)
          const handler = (ctx: HttpContext) => runAction(ctx, plugin, action)
          if (action.method === 'get') router.get(url, handler)
          else router.post(url, handler)
          if (action.upload) acceptUploadsOn(url)
        }
      }
    })
    .use(middleware.webAuth())
}
