export * from '../../app/plugins/testing/index.js'
