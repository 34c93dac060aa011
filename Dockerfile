# One image for both node kinds: the first argument picks the app.
#   docker build -t session-insights .
#   docker run session-insights silo                  # an Orleans silo (grains)
#   docker run -p 8080:8080 session-insights gateway  # HTTP gateway (co-hosts a silo unless Gateway__HostsSilo=false)
#   the CLI (projects and keys) is at /app/cli/session-insights.dll: docker compose exec gateway dotnet /app/cli/session-insights.dll projects list
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Only what the two apps build from (.dockerignore keeps bin/ and obj/ out): the shared build
# settings (warnings are errors, code style enforced from .editorconfig) and src/, which holds
# Gateway, Silo, Cli and what they reference (Grains, Grains.Abstractions, Domain, Storage).
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Gateway -c Release -o /app/gateway \
 && dotnet publish src/Silo -c Release -o /app/silo \
 && dotnet publish src/Cli -c Release -o /app/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app /app
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
# 8080 HTTP (gateway), 11111 silo-to-silo (Cluster__SiloPort), 30000 Orleans clients (Cluster__GatewayPort).
EXPOSE 8080 11111 30000
# exec: the app is PID 1 and gets SIGTERM itself (a silo then leaves the cluster gracefully).
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet /app/$0/SessionInsights.$(echo $0 | sed 's/./\\U&/').dll \"$@\""]
CMD ["gateway"]
