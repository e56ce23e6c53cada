import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * Serves the built web client with long caching for hashed assets, and index.html
 * for every other GET that is not an API route (the client routes by hash, but deep
 * links like /rooms still land on the app).
 */
export function createStaticClient(distDir: string): Router | null {
  const dir = path.resolve(distDir);
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return null;
  const router = Router();
  router.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  router.use(express.static(dir, { index: false, maxAge: '1h' }));
  router.get(/^\/(?!api\/|socket\.io\/|healthz$|metrics$).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
