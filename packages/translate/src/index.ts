// Public surface of @heddle/translate: the input model (services, proxies) the translator reads.
export * from './model/service.ts';
export * from './model/proxy-node.ts';
