# The brood image for distributed runs (deploy/kubernetes/): master and workers run the same image.
#   docker build -t brood .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY bin bin
COPY src src
COPY users users
COPY shapes shapes
COPY scenarios scenarios
COPY analyze analyze
COPY bench bench
COPY test test
RUN npm ci --no-audit --no-fund && npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/bin bin
COPY --from=build /app/dist dist
COPY --from=build /app/src/report/templates src/report/templates
RUN ln -s /app/bin/run-load-tests.js /usr/local/bin/run-load-tests && ln -s /app/bin/analyze-results.js /usr/local/bin/analyze-results
# Test files are mounted at /tests (a ConfigMap); results are written under /results.
WORKDIR /work
ENTRYPOINT []
CMD ["run-load-tests", "--help"]
