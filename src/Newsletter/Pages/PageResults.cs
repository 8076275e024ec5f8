using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Newsletter.Pages;

/// <summary>Handlers answer with a page component and the status code the page stands for.</summary>
public static class PageResults
{
    public static RazorComponentResult<TPage> Page<TPage>(int statusCode, object parameters) where TPage : IComponent =>
        new(parameters) { StatusCode = statusCode };

    public static RazorComponentResult<MessagePage> Message(int statusCode, string title, string message,
        string? linkHref = null, string linkText = "") =>
        Page<MessagePage>(statusCode, new { Title = title, Message = message, LinkHref = linkHref, LinkText = linkText });
}
