using System.Diagnostics;

namespace Nautilus.Testing;

/// <summary>
/// The one way tests wait for something that happens elsewhere (a background worker, another process, a fake
/// upstream): on an event when there is one, else by asking again until the condition holds. The bound is a
/// safety net that turns a hang into a failure naming what never happened; it is generous on purpose, so a
/// loaded machine is slow, not red. No test asserts how long anything took (timings belong in bench/).
/// </summary>
public static class Eventually
{
    /// <summary>The default safety net, well inside run.sh's 5-minute hang abort.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(25);

    /// <summary>Asks <paramref name="condition"/> until it answers true; fails naming <paramref name="what"/> and <paramref name="context"/>
    /// otherwise.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, Func<string>? context = null, TimeSpan? bound = null)
    {
        var limit = bound ?? Bound;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition().ConfigureAwait(false))
            {
                return;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds:0} s.{Describe(context)}");
            }

            await Task.Delay(Pause).ConfigureAwait(false);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, Func<string>? context = null, TimeSpan? bound = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, context, bound);

    /// <summary>Asks <paramref name="probe"/> until its answer satisfies <paramref name="accept"/>, and answers that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, string what, Func<T?, string>? context = null, TimeSpan? bound = null)
    {
        T? last = default;
        await TrueAsync(
            async () =>
            {
                last = await probe().ConfigureAwait(false);
                return accept(last);
            },
            what,
            context is null ? null : () => context(last),
            bound).ConfigureAwait(false);
        return last!;
    }

    /// <summary>Awaits an event (a task that completes when it happens); fails naming it if it never does.</summary>
    public static async Task<T> CompletesAsync<T>(Task<T> happened, string what, Func<string>? context = null, TimeSpan? bound = null)
    {
        await CompletesAsync((Task)happened, what, context, bound).ConfigureAwait(false);
        return await happened.ConfigureAwait(false);
    }

    public static async Task CompletesAsync(Task happened, string what, Func<string>? context = null, TimeSpan? bound = null)
    {
        var limit = bound ?? Bound;
        try
        {
            await happened.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException ex) when (!happened.IsCompleted)
        {
            throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds:0} s.{Describe(context)}", ex);
        }
    }

    private static string Describe(Func<string>? context)
    {
        if (context is null)
        {
            return "";
        }

        try
        {
            return "\n" + context();
        }
        catch (Exception ex)
        {
            return $"\n(the context could not be read: {ex.Message})";
        }
    }
}
