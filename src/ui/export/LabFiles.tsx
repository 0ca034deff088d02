import { useRef } from 'react';
import { useLab } from '../../store/labStore';

/**
 * "Save lab" and "Load lab": the lab document (its world and everything typed) as a JSON
 * file, and back. A file that is refused says why in the page's notices.
 */
export function LabFiles() {
  const file = useRef<HTMLInputElement>(null);

  const save = async () => {
    const { download, fileName } = await import('./exports');
    const { exportDoc, scenario } = useLab.getState();
    download(
      fileName('smtp-lab', scenario) + '.json',
      JSON.stringify(exportDoc(), null, 1),
      'application/json',
    );
  };

  const open = async (f: File | undefined) => {
    if (!f) return;
    let error: string | undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(await f.text());
    } catch (e) {
      error = `This file is not JSON: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (!error) {
      await useLab.getState().prepareReplay();
      error = useLab.getState().load(doc, 'end');
    }
    if (error) useLab.setState({ notice: `${f.name}: ${error}` });
    if (file.current) file.current.value = '';
  };

  return (
    <>
      <button
        type="button"
        onClick={() => void save()}
        title="Save the scenario and everything typed, to replay later"
      >
        Save lab
      </button>
      <button
        type="button"
        onClick={() => file.current?.click()}
        title="Load a saved lab and replay it"
      >
        Load lab
      </button>
      <input
        ref={file}
        type="file"
        accept="application/json,.json"
        hidden
        onChange={(e) => void open(e.target.files?.[0])}
        data-testid="load-lab-file"
      />
    </>
  );
}
