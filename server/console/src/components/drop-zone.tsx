// A file target for drag and drop, with an ordinary file input beside it for the keyboard (and for phones).
import { useState } from 'preact/hooks';

export interface DropZoneProps {
  /** What to drop, in words ("an .onnx file"). */
  what: string;
  accept: string;
  disabled?: boolean;
  onFile(file: File): void;
  id: string;
}

export function DropZone({ what, accept, disabled = false, onFile, id }: DropZoneProps) {
  const [over, setOver] = useState(false);
  return (
    <section
      aria-label={`Drop ${what}`}
      class={`drop-zone${over ? ' over' : ''}`}
      data-testid={`${id}-drop`}
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer?.files[0];
        if (file && !disabled) onFile(file);
      }}
    >
      <label for={id}>
        Drop {what} here, or choose one:{' '}
        <input
          id={id}
          type="file"
          accept={accept}
          disabled={disabled}
          onChange={(e) => {
            const input = e.currentTarget;
            const file = input.files?.[0];
            if (file) onFile(file);
            input.value = '';
          }}
        />
      </label>
    </section>
  );
}
