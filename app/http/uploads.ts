import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#http/api_error'

/* What a route accepts: one file field, its size limit ("50mb") and extensions. */
export type UploadLimits = { field: string; size: string; extnames: string[] }

/* A received upload: the file on local disk (removed by cleanup) and the form's other fields. */
export type ReceivedUpload = {
  path: string
  clientName: string
  size: number
  fields: Record<string, unknown>
  cleanup(): Promise<void>
}

/*
 * Routes whose multipart body is left to receiveUpload instead of the
 * bodyparser (whose limit, 20 MB, is for every route): called when the route
 * is mounted, with its pattern ("/app/crm/imports").
 */
export function acceptUploadsOn(pattern: string) {
  const multipart = app.config.get<{ processManually: string[] }>('bodyparser.multipart')
  if (!multipart.processManually.includes(pattern)) multipart.processManually.push(pattern)
}

/*
 * Streams the multipart file field to a temporary file, refusing it while it
 * streams once over the size limit (413) or with another extension (422 on the
 * field). The route must be one of acceptUploadsOn's (or config/bodyparser.ts
 * processManually).
 */
export async function receiveUpload(ctx: HttpContext, limits: UploadLimits) {
  const path = join(tmpdir(), `plinth-upload-${randomUUID()}`)
  const cleanup = () => rm(path, { force: true })
  const tooLarge = () =>
    new ApiError(413, 'PAYLOAD_TOO_LARGE', `Files are limited to ${limits.size}`, {
      pointer: `/data/attributes/${limits.field}`,
    })
  if (!ctx.request.multipart || ctx.request.multipart.state !== 'idle')
    throw ApiError.validation(limits.field, `Send the file as multipart/form-data`)
  ctx.request.multipart.onFile(
    limits.field,
    { size: limits.size, extnames: limits.extnames },
    async (part, reportChunk) => {
      part.pause()
      part.on('data', reportChunk)
      await pipeline(part, createWriteStream(path))
      return { tmpPath: path }
    }
  )
  try {
    await ctx.request.multipart.process({ limit: limits.size })
  } catch (error) {
    await cleanup()
    if ((error as { status?: number }).status === 413) throw tooLarge()
    throw error
  }
  const file = ctx.request.file(limits.field)
  if (!file) {
    await cleanup()
    throw ApiError.validation(
      limits.field,
      `Attach the file as the multipart field "${limits.field}"`
    )
  }
  if (!file.isValid) {
    await cleanup()
    const error = file.errors[0]
    if (error?.type === 'size') throw tooLarge()
    throw ApiError.validation(limits.field, error?.message ?? 'The file was refused')
  }
  const body = ctx.request.body()
  const received: ReceivedUpload = {
    path,
    clientName: file.clientName,
    size: file.size,
    fields: body && typeof body === 'object' && !Array.isArray(body) ? body : {},
    cleanup,
  }
  return received
}
