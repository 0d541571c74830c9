namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>Assertions on a <see cref="RingClaim"/>, which, a ref struct, no lambda can capture: it is passed in.</summary>
internal static class ClaimAssert
{
    public delegate void ClaimAction(RingClaim claim);

    /// <summary>Runs <paramref name="action"/> on <paramref name="claim"/> and asserts it throws exactly <typeparamref name="TException"/>.</summary>
    public static TException Throws<TException>(RingClaim claim, ClaimAction action)
        where TException : Exception
    {
        Exception? caught = null;
        try
        {
            action(claim);
        }
        catch (Exception exception)
        {
            caught = exception;
        }

        return Assert.IsType<TException>(caught);
    }
}
