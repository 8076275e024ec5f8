using Microsoft.AspNetCore.Http.Metadata;

namespace Newsletter.Authoring;

/// <summary>An action that takes more than a form's worth of body (a CSV upload) says how much on its endpoint.</summary>
public sealed class BodyLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => bytes;

    public long Bytes => bytes;
}
