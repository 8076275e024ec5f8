namespace Newsletter.Subscribers;

/// <summary>
/// Erases a person: their subscriber row, lists and attributes go, the consent trail keeps what happened
/// but not who from where, deliveries stay for the sends' counts without address or name, and only the
/// SHA-256 of the lower-cased address stays on the suppression list, so that neither the sign-up form nor
/// an import brings them back (both look the hash up).
/// </summary>
public sealed class SubscriberEraser(SubscriberProfileStore store)
{
    /// <summary>Erases the address (any case). Repeating it is harmless: <see cref="Erasure.AlreadyErased"/>.</summary>
    /// <exception cref="UnknownSubscriberException">Nothing is held about the address and it was never erased.</exception>
    public async Task<Erasure> EraseAsync(string email, ConsentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(context);
        var address = email.Trim();
        return await store.EraseAsync(address, context, cancellationToken).ConfigureAwait(false)
            ?? throw new UnknownSubscriberException(address);
    }
}
