# meshgate: the GitHub App (Probot server). Two stages: the build stage compiles with the dev
# dependencies, the runtime stage carries only the compiled code and the production ones.
# scripts/check-dockerfile.sh lints this file and runs its build steps as plain commands.
# Node 22: several production dependencies (kubernetes-models, @kubernetes-models/*, and
# probot's content-type) declare engines node >= 22.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The lockfile's only install script is esbuild's (a dev tool): the build needs no scripts, and
# `prepare` would compile before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:22-bookworm-slim
LABEL org.opencontainers.image.title="meshgate" \
      org.opencontainers.image.description="Merge gate for service-mesh changes declared with OAM manifests (GitHub App)"
# HOST: Probot listens on localhost unless told otherwise, unreachable from outside the container.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The rule catalog is read at startup from rules/ next to dist/; app.yml is Probot's manifest.
COPY package.json app.yml ./
COPY rules ./rules
# The image's unprivileged user; the files stay root-owned, so the app cannot rewrite itself.
USER node
EXPOSE 3000
# Probot's server answers GET /ping with "PONG"; the slim image has no curl, node has fetch.
# No --start-period: the server listens within a second or two, well before the first probe
# (and dockerfilelint 1.8 misreads the option's hyphen as an invalid argument).
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/ping`).then(async (r) => process.exit(r.ok && (await r.text()) === 'PONG' ? 0 : 1), () => process.exit(1))"]
# `npm start` without npm in between, so the SIGTERM of `docker stop` reaches node.
CMD ["node", "dist/github/server.js"]
