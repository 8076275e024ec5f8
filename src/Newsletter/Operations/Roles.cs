namespace Newsletter.Operations;

/// <summary>The two operator roles: admins change things, ops only look.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Ops = "ops";
}
