namespace Mobility.Tests.Events;

/// <summary>
/// The test classes whose handlers fail, and so add to the process-wide <c>mobility.event_handlers.removed</c> counter:
/// they run one after another, so the test that counts it sees only its own.
/// </summary>
[CollectionDefinition(nameof(EventHandlerMetric))]
public sealed class EventHandlerMetric;
