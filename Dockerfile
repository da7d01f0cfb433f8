# syntax=docker/dockerfile:1.7
# One image for the API, the worker and the demo systems; the command picks the process.
#   docker build -t problem-workflows .
#   docker run problem-workflows node dist/src/temporal/worker-main.js

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# 1. Build: dev dependencies, TypeScript compile, prebuilt workflow bundle.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 falls back to a source build when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY scripts/bundle-workflows.ts ./scripts/
COPY console ./console
RUN npm run build && npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js && npm run build:console

# 2. Production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: no compiler, no dev dependencies, non-root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/console/dist ./console/dist
COPY --chown=root:root package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000 3100
CMD ["node", "dist/src/api/server.js"]
