# reachgraph as a container, built from a checkout where `npm ci && npm run build` has run:
#   npm ci && npm run build && docker build -t reachgraph .
#   docker run -d --name reachgraph --read-only -p 127.0.0.1:7357:7357 \
#     -v /var/run/docker.sock:/var/run/docker.sock --group-add "$(stat -c %g /var/run/docker.sock)" reachgraph
# The build needs no network: the checkout's dependencies and build output are copied in and pruned, so it
# works where containers have no egress or the registry's TLS is only trusted by the host.
# The base is made locally by scripts/build-base-image.sh (no image registry is reachable where reachgraph is
# built and tested); with a registry, pass --build-arg NODE_IMAGE=node:20-slim instead.
ARG NODE_IMAGE=reachgraph-node-base:20

# Build: the checkout, minus the development dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY node_modules ./node_modules
RUN npm prune --omit=dev --offline --no-audit --no-fund
COPY bin ./bin
COPY dist ./dist
# A checkout that was not built has no page to serve: say so here, not at the first request.
RUN test -f dist/web/index.html || { echo "dist/web is missing: run npm run build first" >&2; exit 1; }

FROM ${NODE_IMAGE}
WORKDIR /app
COPY --from=build /src /app
# Not root: the engine socket is reached through its group, given at run time with --group-add <its gid>.
USER 10001:10001
ENV NODE_ENV=production
EXPOSE 7357
# /api/health needs no token; 127.0.0.1 is always an allowed Host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7357/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A small young generation keeps a long-running server's memory down (npm run bench: 252 → 163 MB at 10,000).
ENTRYPOINT ["node", "--max-semi-space-size=4", "/app/bin/reachgraph"]
# Beyond loopback: the page and the API then need the access token (REACHGRAPH_TOKEN, or printed at start).
CMD ["serve", "--host", "0.0.0.0"]
