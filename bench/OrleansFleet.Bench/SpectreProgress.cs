using Spectre.Console;

namespace OrleansFleet.Bench;

/// <summary>Shows the runner's steps as Spectre.Console progress bars, or as plain lines when output is redirected.</summary>
internal sealed class SpectreProgress(ProgressContext? context) : IBenchProgress
{
    private readonly Dictionary<string, ProgressTask> _tasks = [];

    public Action<long> Start(string description, long total)
    {
        if (context is null)
        {
            Console.WriteLine($"{DateTime.Now:HH:mm:ss} {description}: {total:N0} events…");
            return _ => { };
        }

        var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
        _tasks[description] = task;
        return applied => task.Value = applied;
    }

    public void Done(string description, string summary)
    {
        if (context is null || !_tasks.Remove(description, out var task))
        {
            Console.WriteLine($"{DateTime.Now:HH:mm:ss} {description}: {summary}");
            return;
        }

        task.Value = task.MaxValue;
        task.Description = Markup.Escape($"{description}: {summary}");
        task.StopTask();
    }
}
