using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SessionInsights.Grains.Monitoring;

/// <summary>
/// Listens (System.Diagnostics.Metrics <see cref="MeterListener"/>) to this node's instruments of the
/// meters named in <see cref="Meters"/> and keeps their running totals: counter sums, the latest
/// gauge values, and histograms of millisecond measurements. The node reporter sends these to the insights hub.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    public static readonly string[] Meters = ["SessionInsights.Grains", "SessionInsights.Gateway"];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, CounterCell> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LatencyHistogram> _histograms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _gauges = new(StringComparer.Ordinal);
    private readonly Lock _observeLock = new();

    public MetricsCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!Meters.Contains(instrument.Meter.Name, StringComparer.Ordinal))
            {
                return;
            }
            object state = instrument switch
            {
                Histogram<double> => _histograms.GetOrAdd(instrument.Name, _ => new LatencyHistogram()),
                ObservableGauge<long> or ObservableGauge<double> => instrument.Name,
                _ => _counters.GetOrAdd(instrument.Name, _ => new CounterCell()),
            };
            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, state) =>
        {
            if (state is CounterCell cell)
            {
                Interlocked.Add(ref cell.Value, value);
            }
            else if (state is string gauge)
            {
                _gauges[gauge] = value;
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, state) =>
        {
            if (state is LatencyHistogram histogram)
            {
                histogram.RecordMicros(value * 1000.0);
            }
            else if (state is string gauge)
            {
                _gauges[gauge] = value;
            }
        });
        _listener.Start();
    }

    public MetricsSnapshot Snapshot()
    {
        lock (_observeLock)
        {
            _listener.RecordObservableInstruments();
        }
        return new MetricsSnapshot(
            _counters.ToDictionary(kv => kv.Key, kv => Interlocked.Read(ref kv.Value.Value), StringComparer.Ordinal),
            new Dictionary<string, double>(_gauges, StringComparer.Ordinal),
            _histograms.ToDictionary(kv => kv.Key, kv => kv.Value.Snapshot(), StringComparer.Ordinal));
    }

    public void Dispose() => _listener.Dispose();

    private sealed class CounterCell
    {
        public long Value;
    }
}
