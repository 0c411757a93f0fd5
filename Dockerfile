# eventgrid-emulator container image.
#
#   docker build -t eventgrid-emulator .
#   docker run --rm -p 4000:4000 -v "$PWD/scripts/smoke/config.yaml:/config/config.yaml:ro" eventgrid-emulator
#
# The base image is a build argument so it can be swapped (a mirror, a pinned digest, a distro build). It must
# provide `node` and `npm` on PATH, /bin/sh, mkdir and chown, and a user named `node` (the official Node images do).
ARG BASE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------- build: compile and bundle with the dev deps
FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` script would compile before the sources are copied; we build explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-cli.ts ./scripts/
COPY src ./src
RUN npm run build

# ---------------------------------------------------------------- runtime: the bundled CLI + bin/ only
# The CLI runs from dist/bundle/ (scripts/bundle-cli.ts), which carries its dependencies, so the image has no
# node_modules: no `npm ci` here. package.json is there for `--version`; source maps stay in the build stage.
FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Node >= 22.1 keeps V8's compiled code of the bundle in NODE_COMPILE_CACHE (bin/ turns the cache on); it is filled
# at the end of this file.
ENV NODE_COMPILE_CACHE=/app/.node-compile-cache
RUN mkdir -p /data /config "$NODE_COMPILE_CACHE" \
 && chown node:node /data "$NODE_COMPILE_CACHE"
COPY package.json ./
COPY --from=build /app/dist/bundle/*.js ./dist/bundle/
COPY bin ./bin

# Every `serve` option as an environment variable. An empty value means "not set": the config file (or the
# built-in default) decides, so e.g. a mounted config's delivery.timeScale is not overridden by the image.
#  - HOST/PORT always win over the config's server: section (the container listens on 0.0.0.0:4000).
#  - CONFIG names /config/config.yaml; CONFIG_OPTIONAL=1 falls back to the built-in default config when that
#    file is not mounted (a mounted file that is invalid still fails the start, with file:line:col messages).
#  - DATA_DIR holds the journal (durable mode: pending deliveries, history and runtime subscriptions survive
#    restarts, crashes and new containers on the same volume), dead letters and the --tls auto certificate on the
#    /data volume. FRESH=1 discards the journal at start.
#  - TLS=auto, or TLS_CERT + TLS_KEY (paths, e.g. under /config), serve HTTPS instead of HTTP.
ENV EVENTGRID_EMULATOR_HOST=0.0.0.0 \
    EVENTGRID_EMULATOR_PORT=4000 \
    EVENTGRID_EMULATOR_CONFIG=/config/config.yaml \
    EVENTGRID_EMULATOR_CONFIG_OPTIONAL=1 \
    EVENTGRID_EMULATOR_DATA_DIR=/data \
    EVENTGRID_EMULATOR_FRESH= \
    EVENTGRID_EMULATOR_TIME_SCALE= \
    EVENTGRID_EMULATOR_TLS= \
    EVENTGRID_EMULATOR_TLS_CERT= \
    EVENTGRID_EMULATOR_TLS_KEY= \
    LOG_LEVEL=info

VOLUME /data
EXPOSE 4000
USER node

# One `serve` run fills the compile cache, so a container starts from cached code instead of compiling the bundle.
# As `node`: Node keeps a cache per user id (another --user simply compiles). A no-op on Node 20.
COPY --chown=node:node scripts/warm-compile-cache.mjs /tmp/
RUN node /tmp/warm-compile-cache.mjs /app/bin/eventgrid-emulator.js \
 && rm /tmp/warm-compile-cache.mjs

# node, not curl: GET /healthz over http, or over https (self-signed allowed) when TLS is on.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "const e=process.env,t=(e.EVENTGRID_EMULATOR_TLS||'off')!=='off'||!!e.EVENTGRID_EMULATOR_TLS_CERT;require(t?'https':'http').get({host:'127.0.0.1',port:e.EVENTGRID_EMULATOR_PORT||4000,path:'/healthz',rejectUnauthorized:false,timeout:2500},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]

# node is PID 1 and `serve` handles SIGTERM/SIGINT itself (finishes in-flight deliveries, then exits 0),
# so `docker stop` is fast without an init process.
ENTRYPOINT ["node", "/app/bin/eventgrid-emulator.js"]
CMD ["serve"]
