import client from 'prom-client';

/** One prom-client registry per app instance, so tests can run several apps in one process. */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new client.Counter({
      name: 'lotus_http_requests_total',
      help: 'HTTP requests by route and status class',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: 'lotus_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    socketsConnected: new client.Gauge({
      name: 'lotus_sockets_connected',
      help: 'Socket.IO connections held by this process',
      registers: [registry],
    }),
    socketEvents: new client.Counter({
      name: 'lotus_socket_events_total',
      help: 'Socket events handled, by event and outcome',
      labelNames: ['event', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
