# One image for both node kinds: the entrypoint picks the gateway or the silo.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Gateway -c Release -o /app/gateway \
 && dotnet publish src/Silo -c Release -o /app/silo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app /app
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080 4053
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet /app/$0/SessionInsights.$(echo $0 | sed 's/./\\U&/').dll \"$@\""]
CMD ["gateway"]
