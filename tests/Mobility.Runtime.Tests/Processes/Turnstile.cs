using Mobility.Diagnostics;

namespace Mobility.Tests.Processes;

/// <summary>The states of <see cref="Turnstile"/>.</summary>
public enum TurnstileState
{
    Locked,
    Open,
}

/// <summary>What happens to a <see cref="Turnstile"/>.</summary>
public enum TurnstileEvent
{
    Coin,
    Push,
}

/// <summary>
/// A state machine written as one handler over (state, event), gen_statem's <c>handle_event_function</c> mode: no
/// <c>[When]</c>, one cast for every event, a switch on both.
/// </summary>
[MobileProcess]
[StateMachine(typeof(TurnstileState), Initial = TurnstileState.Locked)]
public partial class Turnstile
{
    private readonly List<string> _log = [];

    [Cast]
    public void Handle(TurnstileEvent happened)
    {
        switch ((State, happened))
        {
            case (TurnstileState.Locked, TurnstileEvent.Coin):
                _log.Add("unlocked");
                NextState(TurnstileState.Open);
                break;
            case (TurnstileState.Locked, TurnstileEvent.Push):
                _log.Add("blocked");
                break;
            case (TurnstileState.Open, TurnstileEvent.Coin):
                Postpone(); // paid for the next turn: it counts once this one is over
                break;
            case (TurnstileState.Open, TurnstileEvent.Push):
                _log.Add("passed");
                NextState(TurnstileState.Locked);
                break;
        }
    }

    [Call]
    public List<string> Log() => [.. _log];

    [Call]
    public string Status() => State.ToString();
}
