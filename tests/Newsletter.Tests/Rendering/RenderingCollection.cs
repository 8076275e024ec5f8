namespace Newsletter.Tests.Rendering;

[CollectionDefinition(Name)]
public sealed class RenderingCollection : ICollectionFixture<RenderingFixture>
{
    public const string Name = "Rendering";
}
