# The accessplanit -> Moodle sync as a container (see README, "Operations").
# Build the jar first:   mvn -B package
# Then the image:        docker build -t accessplanit-moodle-sync .
# Run:                   docker run -d -p 9090:9090 -e MOODLE_URL=... -e MOODLE_TOKEN=... -e DB_URL=... \
#                          -e DB_USER=... -e DB_PASSWORD=... accessplanit-moodle-sync
# Routes and settings can be changed without rebuilding: mount a folder over /app/routes, or an
# application.properties over /app/application.properties.
FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /app apit-sync
WORKDIR /app
COPY target/accessplanit-moodle-sync.jar /app/accessplanit-moodle-sync.jar
COPY routes/ /app/routes/
COPY application.properties /app/application.properties
USER apit-sync
# MANAGEMENT_HOST: the management server listens on 127.0.0.1 as shipped, but health probes (Kubernetes, an
# orchestrator, "docker run -p 9090:9090") come from outside the container, so in the image it listens on every
# address. Publish port 9090 only to a private network: it has no sign-in.
ENV LOG_FORMAT=json \
    MANAGEMENT_HOST=0.0.0.0 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
# Camel's management server: /observe/health, /observe/health/ready, /observe/health/live, /observe/metrics
EXPOSE 9090
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9090 && printf 'GET /observe/health/live HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '\"UP\"' <&3"]
# exec: the JVM is PID 1 and gets docker stop's SIGTERM (graceful shutdown within camel.main.shutdown-timeout,
# 30 s: stop with "docker stop -t 45" as docker waits only 10 s by default).
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar accessplanit-moodle-sync.jar"]
STOPSIGNAL SIGTERM
