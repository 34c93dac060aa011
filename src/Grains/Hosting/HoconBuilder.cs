using Akka.Configuration;
using SessionInsights.Grains.Abstractions;

namespace SessionInsights.Grains.Hosting;

/// <summary>The node's Akka configuration, made from <see cref="ClusterOptions"/>.</summary>
public static class HoconBuilder
{
    public static Config Build(ClusterOptions o)
    {
        var seeds = string.Join(", ", o.Seeds.Select(s => $"\"{s}\""));
        var roles = string.Join(", ", o.Roles.Select(r => $"\"{r}\""));
        var publicHost = o.PublicHostname ?? o.Hostname;
        return ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = {{o.LogLevel}}
              stdout-loglevel = {{o.LogLevel}}
              actor {
                provider = cluster
                serializers {
                  grain-json = "SessionInsights.Grains.Serialization.GrainMessageSerializer, SessionInsights.Grains"
                }
                serialization-bindings {
                  "SessionInsights.Grains.Abstractions.Messages.IGrainMessage, SessionInsights.Grains.Abstractions" = grain-json
                  "SessionInsights.Grains.Abstractions.Messages.IGrainReply, SessionInsights.Grains.Abstractions" = grain-json
                  "SessionInsights.Grains.Monitoring.IMonitoringMessage, SessionInsights.Grains" = grain-json
                }
              }
              remote.dot-netty.tcp {
                hostname = "{{o.Hostname}}"
                public-hostname = "{{publicHost}}"
                port = {{o.Port}}
                maximum-frame-size = 8MB
              }
              coordinated-shutdown.exit-clr = off
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              cluster {
                seed-nodes = [{{seeds}}]
                roles = [{{roles}}]
                min-nr-of-members = 1
                # A restarted node (same address, new incarnation) may be refused until its old self
                # is removed; retry soon rather than after the default 10 s.
                retry-unsuccessful-join-after = 2s
                failure-detector.acceptable-heartbeat-pause = {{(int)o.HeartbeatPause.TotalMilliseconds}}ms
                # By default shards and singletons of a downed node wait stable-after again before they
                # restart elsewhere, so that a partitioned twin has stopped. Grains do not need that
                # wait: every commit checks the user's version, so a twin's write is refused.
                down-removal-margin = {{(int)o.DownRemovalMargin.TotalMilliseconds}}ms
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-majority
                  # Only silos vote: gateways hold no state, and counting them makes ties
                  # (3 silos + 1 gateway minus 1 looks like 2 against 2 to a busy observer).
                  keep-majority.role = "{{EntityIds.SiloRole}}"
                  stable-after = {{(int)o.StableAfter.TotalMilliseconds}}ms
                  down-all-when-unstable = off
                }
                sharding {
                  role = "{{EntityIds.SiloRole}}"
                  # Grains passivate themselves (they must commit first), so sharding's own idle stop is off.
                  passivate-idle-entity-after = off
                  remember-entities = off
                  state-store-mode = ddata
                  handoff-timeout = 30s
                  rebalance-interval = 5s
                  # How soon regions retry registering with a coordinator that moved.
                  retry-interval = 1s
                  least-shard-allocation-strategy.rebalance-absolute-limit = 20
                }
              }
            }
            """);
    }
}
