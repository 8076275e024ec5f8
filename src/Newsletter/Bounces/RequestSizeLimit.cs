using Microsoft.AspNetCore.Http.Metadata;

namespace Newsletter.Bounces;

/// <summary>The largest webhook body read: provider events are a few kilobytes.</summary>
internal sealed class RequestSizeLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => bytes;
}
