export * from '../../app/sdk/index.js'
