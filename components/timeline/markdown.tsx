import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

/**
 * Model-written markdown, with GitHub's extensions models write (tables, strikethrough,
 * task lists, bare links). react-markdown builds React elements and never renders raw
 * HTML (no rehype-raw here, on purpose); its default URL filter drops javascript: links.
 */
const COMPONENTS: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
  // a wide table scrolls inside the step instead of widening the timeline
  table: ({ node: _node, ...props }) => (
    <div className="overflow-x-auto">
      <table {...props} />
    </div>
  ),
};

const REMARK_PLUGINS = [remarkGfm];

export function StepMarkdown({ text }: { text: string }) {
  return (
    <div className="prose-step">
      <Markdown components={COMPONENTS} remarkPlugins={REMARK_PLUGINS}>
        {text}
      </Markdown>
    </div>
  );
}
