import Markdown, { type Components } from "react-markdown";

/**
 * Model-written markdown. react-markdown builds React elements and never renders raw
 * HTML (no rehype-raw here, on purpose); its default URL filter drops javascript: links.
 */
const COMPONENTS: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
};

export function StepMarkdown({ text }: { text: string }) {
  return (
    <div className="prose-step">
      <Markdown components={COMPONENTS}>{text}</Markdown>
    </div>
  );
}
