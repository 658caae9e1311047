namespace Mobility.Monitoring;

/// <summary>A router whose node holds monitors for code outside processes (what <c>ProcessRef.MonitorAsync</c> goes through).</summary>
internal interface IMonitoringRouter
{
    NodeMonitors? Monitors { get; }
}
