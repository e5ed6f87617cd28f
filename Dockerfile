# The OnceGraph hub image that docker-compose.yml runs.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY tsconfig.json ./
COPY schema ./schema
COPY migrations ./migrations
COPY src ./src
# The steward console and GraphiQL bundles (Vite; the build tools are runtime dependencies for this step).
COPY console ./console
RUN node_modules/.bin/tsx console/build.ts
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:4000/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node_modules/.bin/tsx", "src/main.ts"]
